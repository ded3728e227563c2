"""Conference's HTTP API: operators set up, attendees register, Stripe confirms."""

from conference.entrypoints.http import operators, public

ROUTERS = [public.router, operators.router]

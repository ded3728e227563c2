"""Conference's HTTP API: operators set up, attendees register, Stripe confirms."""

from conference.entrypoints.http import attendees, operators, public

ROUTERS = [public.router, attendees.router, operators.router]

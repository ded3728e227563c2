"""Convene's service chassis: one process per service (runtime), its HTTP helpers, settings and
Stripe plumbing. Event delivery itself is convene_delivery."""

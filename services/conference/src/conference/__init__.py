"""Convene's conference service: conferences, ticket types, holds and registrations."""

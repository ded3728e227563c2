"""Convene's membership service: levels, members, memberships and dues."""

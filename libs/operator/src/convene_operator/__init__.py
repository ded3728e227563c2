"""Convene's operator command line, `convene-admin`: it talks to the services' HTTP APIs and
their databases from outside, and imports no service package."""

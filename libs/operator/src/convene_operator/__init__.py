"""Convene's operator command line, `convene-admin`: installed with every service, runnable in its
container as `convene-admin ...` or `python -m convene_operator ...`. docs/operations.md."""

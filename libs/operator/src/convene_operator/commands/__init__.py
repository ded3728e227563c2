"""One module per command group of `convene-admin`; cli.py adds each to the root app."""

"""Postgres storage behind the unit of work: one module per aggregate or group of tables. Reads
that feed a change lock the rows they read, so concurrent webhooks, sweepers and people change
one registration (or waitlist entry, or ticket) at a time."""

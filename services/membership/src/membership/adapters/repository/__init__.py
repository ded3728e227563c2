"""Postgres storage of membership's aggregates, one repository per table family. Each works on
the unit of work's transaction. Queries that feed a state change lock the rows they read (FOR
UPDATE), so concurrent webhooks and the dues calendar change a membership one at a time."""

"""What the commands talk to: the services' HTTP APIs, Stripe's webhooks, Postgres' tools."""

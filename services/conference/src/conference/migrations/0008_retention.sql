-- Retention deletes applied Stripe event ids after STRIPE_EVENTS_RETENTION_DAYS, oldest first.
CREATE INDEX stripe_events_received ON stripe_events (received_at);

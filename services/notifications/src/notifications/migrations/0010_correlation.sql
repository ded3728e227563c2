-- The flow each delivery belongs to (docs/operations.md, "Logs"): the correlation id of the event
-- that owed it, shown in the delivery log and carried by its notification.sent/failed events.
-- Rows written before have none.
ALTER TABLE deliveries ADD COLUMN correlation_id uuid;
CREATE INDEX deliveries_by_flow ON deliveries (correlation_id) WHERE correlation_id IS NOT NULL;

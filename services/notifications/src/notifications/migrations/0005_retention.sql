-- Retention keeps the delivery log (who, what, when, status) and prunes an old email's bodies and
-- attachments (adapters/retention.py): `bodies_pruned_at` says it happened, and the partial index
-- finds the oldest finished emails not pruned yet without scanning the log.
ALTER TABLE deliveries ADD COLUMN bodies_pruned_at timestamptz;
CREATE INDEX deliveries_unpruned ON deliveries ((coalesce(sent_at, failed_at, created_at)))
    WHERE status <> 'pending' AND bodies_pruned_at IS NULL;

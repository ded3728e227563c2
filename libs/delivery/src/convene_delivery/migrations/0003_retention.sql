-- Retention (convene_delivery.retention) deletes the oldest rows first, a bounded batch at a time:
-- each batch must find them by an index, not by scanning the table.
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;
CREATE INDEX inbox_processed ON inbox (processed_at);

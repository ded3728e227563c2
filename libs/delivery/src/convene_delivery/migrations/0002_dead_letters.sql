-- Headers a row carries to Kafka beyond the relay's own (event_type, event_id): a parked email's
-- origin and error (x-origin-..., x-error), as the consumers' dead letters carry them.
ALTER TABLE outbox ADD COLUMN headers jsonb;
-- One event may go to two topics: its own and, when it parks something, a dead-letter topic.
ALTER TABLE outbox DROP CONSTRAINT outbox_event_id_key;
ALTER TABLE outbox ADD CONSTRAINT outbox_event_id_topic_key UNIQUE (event_id, topic);

-- Sending is its own loop: consumers only write what is owed; the sender claims due rows.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
ALTER TABLE deliveries
    ADD CONSTRAINT deliveries_status_check CHECK (status IN ('pending', 'sent', 'failed')),
    ADD COLUMN event_type text NOT NULL DEFAULT '',
    ADD COLUMN transactional boolean NOT NULL DEFAULT true,
    ADD COLUMN headers jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN failed_at timestamptz,
    ADD COLUMN member_id uuid;
DROP INDEX deliveries_pending;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_recipient ON deliveries (recipient, created_at);

-- One-click unsubscribes from non-transactional mail (reminders, announcements).
CREATE TABLE unsubscribes (
    email           text PRIMARY KEY,
    unsubscribed_at timestamptz NOT NULL DEFAULT now()
);

-- Which addresses belong to which member, learnt from membership events, so that erasure can
-- find every delivery of that person (the erasure event carries only the member id).
CREATE TABLE member_addresses (
    member_id uuid NOT NULL,
    email     text NOT NULL,
    PRIMARY KEY (member_id, email)
);

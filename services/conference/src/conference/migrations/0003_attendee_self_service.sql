-- A cancellation owes a refund before Stripe confirms it; the difference is retried until paid.
ALTER TABLE registrations ADD COLUMN refund_due_minor bigint NOT NULL DEFAULT 0;

-- Check-in (C10): who scanned, and when; undoing clears both.
ALTER TABLE attendees ADD COLUMN checked_in_by text;

-- The waitlist (C7): people waiting for a sold-out ticket type, in order. An offer keeps a freed
-- seat (the capacity units in `offered_shards`) for one person until it is claimed or expires.
CREATE TABLE waitlist_entries (
    id                 uuid PRIMARY KEY,
    conference_id      uuid NOT NULL REFERENCES conferences (id),
    ticket_type_id     uuid NOT NULL REFERENCES ticket_types (id),
    name               text NOT NULL,
    email              text NOT NULL,
    status             text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'offered', 'claimed', 'expired')),
    created_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    offer_token_sha256 bytea,
    offer_expires_at   timestamptz,
    offered_shards     jsonb
);
CREATE INDEX waitlist_queue ON waitlist_entries (ticket_type_id, created_at) WHERE status = 'waiting';
CREATE UNIQUE INDEX waitlist_once_per_person ON waitlist_entries (ticket_type_id, email)
    WHERE status IN ('waiting', 'offered');

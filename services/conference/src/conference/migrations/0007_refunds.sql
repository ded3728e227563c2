-- A refund is owed work: the transaction that decides it writes this row, and the refund job
-- (entrypoints/jobs.py) asks Stripe for it until Stripe answers. One refund per registration.
CREATE TABLE refunds (
    id               uuid PRIMARY KEY,
    registration_id  uuid NOT NULL UNIQUE REFERENCES registrations (id),
    payment_intent   text NOT NULL,
    amount_minor     bigint NOT NULL CHECK (amount_minor > 0),
    reason           text NOT NULL,
    status           text NOT NULL DEFAULT 'owed' CHECK (status IN ('owed', 'issued', 'failed')),
    attempts         int NOT NULL DEFAULT 0,
    -- When the job may next try; a claim moves it a lease ahead, so a job that died mid-call
    -- leaves the refund to another after the lease.
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    stripe_refund_id text,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    issued_at        timestamptz
);
CREATE INDEX refunds_due ON refunds (next_attempt_at) WHERE status = 'owed';
CREATE INDEX refunds_by_payment ON refunds (payment_intent);

-- Refunds that cancellations left owed under the old scheme become owed work.
INSERT INTO refunds (id, registration_id, payment_intent, amount_minor, reason)
SELECT gen_random_uuid(), id, payment_intent, refund_due_minor - refunded_minor, 'cancelled by the attendee'
FROM registrations
WHERE status = 'cancelled' AND payment_intent IS NOT NULL AND refund_due_minor > refunded_minor;

-- Whether a registration holds one use of its discount code: taken with the hold, given back
-- (once) when the hold ends or the registration is cancelled, taken again by a late payment.
ALTER TABLE registrations ADD COLUMN holds_discount_use boolean NOT NULL DEFAULT false;
UPDATE registrations SET holds_discount_use = true
WHERE discount_code_id IS NOT NULL AND status IN ('held', 'confirmed');

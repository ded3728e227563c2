-- Levels: individual or organizational with seats; retired levels keep their members.
ALTER TABLE levels
    ADD COLUMN kind text NOT NULL DEFAULT 'individual' CHECK (kind IN ('individual', 'organizational')),
    ADD COLUMN seat_count int CHECK (seat_count > 0),
    ADD COLUMN description text NOT NULL DEFAULT '',
    ADD CONSTRAINT organizational_levels_have_seats CHECK ((kind = 'organizational') = (seat_count IS NOT NULL));

ALTER TABLE members
    ADD COLUMN stripe_customer_id text UNIQUE,
    ADD COLUMN erased_at timestamptz;

ALTER TABLE memberships DROP CONSTRAINT memberships_status_check;
ALTER TABLE memberships
    ADD CONSTRAINT memberships_status_check
        CHECK (status IN ('pending', 'active', 'past_due', 'in_grace', 'lapsed', 'cancelled')),
    ADD COLUMN grace_ends_at timestamptz,
    ADD COLUMN organization_name text,
    ADD COLUMN stripe_checkout_session_id text UNIQUE,
    ADD COLUMN stripe_subscription_id text UNIQUE,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX memberships_member ON memberships (member_id);
-- The scheduler looks for current memberships by period end and grace end.
CREATE INDEX memberships_due ON memberships (period_end) WHERE status IN ('active', 'past_due', 'in_grace');

-- Dues payments: online (Stripe) or offline; refunds reduce, never delete, a payment.
ALTER TABLE dues_payments DROP CONSTRAINT dues_payments_method_check;
ALTER TABLE dues_payments
    ADD CONSTRAINT dues_payments_method_check CHECK (method IN ('stripe', 'cheque', 'bank_transfer', 'cash')),
    ADD COLUMN kind text NOT NULL DEFAULT 'join' CHECK (kind IN ('join', 'renewal', 'level_change')),
    ADD COLUMN stripe_payment_intent text,
    ADD COLUMN refunded_minor bigint NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0);
CREATE INDEX dues_payments_membership ON dues_payments (membership_id);

-- Every Stripe event we have applied: a repeated delivery stops here (primary key).
CREATE TABLE stripe_events (
    id          text PRIMARY KEY,
    type        text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

-- Reminders already announced, so each goes out once per period even with two schedulers.
CREATE TABLE reminders_sent (
    membership_id uuid NOT NULL REFERENCES memberships (id),
    period_end    timestamptz NOT NULL,
    days_before   int NOT NULL,
    sent_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (membership_id, period_end, days_before)
);

-- Seats of organizational memberships.
CREATE TABLE seats (
    id            uuid PRIMARY KEY,
    membership_id uuid NOT NULL REFERENCES memberships (id),
    email         text NOT NULL,
    name          text NOT NULL,
    assigned_at   timestamptz NOT NULL DEFAULT now(),
    removed_at    timestamptz
);
CREATE UNIQUE INDEX seats_one_per_person ON seats (membership_id, email) WHERE removed_at IS NULL;

-- Passwordless sign-in: only hashes of the secrets are kept.
CREATE TABLE sign_in_links (
    token_sha256 bytea PRIMARY KEY,
    member_id    uuid NOT NULL REFERENCES members (id),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE TABLE member_sessions (
    token_sha256 bytea PRIMARY KEY,
    member_id    uuid NOT NULL REFERENCES members (id),
    expires_at   timestamptz NOT NULL
);

-- Conferences (C1): registration opens and closes at exact instants; times stored in UTC,
-- shown in the conference's own time zone.
CREATE TABLE conferences (
    id                     uuid PRIMARY KEY,
    name                   text NOT NULL,
    venue                  text NOT NULL DEFAULT '',
    time_zone              text NOT NULL,
    starts_on              date NOT NULL,
    ends_on                date NOT NULL CHECK (ends_on >= starts_on),
    registration_opens_at  timestamptz NOT NULL,
    registration_closes_at timestamptz NOT NULL CHECK (registration_closes_at > registration_opens_at),
    status                 text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    currency               text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    capacity               int CHECK (capacity > 0),
    hold_minutes           int NOT NULL DEFAULT 15 CHECK (hold_minutes BETWEEN 1 AND 1440),
    full_refund_until      timestamptz,
    partial_refund_until   timestamptz,
    partial_refund_percent int CHECK (partial_refund_percent BETWEEN 0 AND 100),
    certificate_hours      numeric(5, 1) NOT NULL DEFAULT 0,
    questions              jsonb NOT NULL DEFAULT '[]',
    created_at             timestamptz NOT NULL DEFAULT now()
);

-- Ticket types and prices (C2). An add-on (a workshop) needs a main ticket in the same registration.
CREATE TABLE ticket_types (
    id                             uuid PRIMARY KEY,
    conference_id                  uuid NOT NULL REFERENCES conferences (id),
    name                           text NOT NULL,
    kind                           text NOT NULL CHECK (kind IN ('main', 'addon')),
    capacity                       int NOT NULL CHECK (capacity > 0),
    member_price_minor             bigint NOT NULL CHECK (member_price_minor >= 0),
    non_member_price_minor         bigint NOT NULL CHECK (non_member_price_minor >= 0),
    early_member_price_minor       bigint CHECK (early_member_price_minor >= 0),
    early_non_member_price_minor   bigint CHECK (early_non_member_price_minor >= 0),
    early_bird_until               timestamptz,
    UNIQUE (conference_id, name)
);

-- Capacity (C4) as sharded counters: a pool (a ticket type, or a whole conference) is split over
-- several rows so that concurrent holds update different rows instead of queueing on one. The
-- CHECK is the guarantee: whatever the code does, no row can sell past its share.
CREATE TABLE capacity_shards (
    pool_id  uuid NOT NULL,
    shard    int  NOT NULL,
    capacity int  NOT NULL CHECK (capacity >= 0),
    taken    int  NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken <= capacity),
    PRIMARY KEY (pool_id, shard)
);

CREATE TABLE discount_codes (
    id               uuid PRIMARY KEY,
    conference_id    uuid NOT NULL REFERENCES conferences (id),
    code             text NOT NULL,
    percent_off      int CHECK (percent_off BETWEEN 1 AND 100),
    amount_off_minor bigint CHECK (amount_off_minor > 0),
    max_uses         int NOT NULL CHECK (max_uses > 0),
    used             int NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= max_uses),
    valid_from       timestamptz,
    valid_until      timestamptz,
    ticket_type_ids  uuid[],
    UNIQUE (conference_id, code),
    CHECK ((percent_off IS NULL) <> (amount_off_minor IS NULL))
);

-- A registration is one booking: one payer, one payment, one or more attendees.
CREATE TABLE registrations (
    id                  uuid PRIMARY KEY,
    conference_id       uuid NOT NULL REFERENCES conferences (id),
    status              text NOT NULL CHECK (status IN ('held', 'confirmed', 'expired', 'cancelled')),
    payer_name          text NOT NULL,
    payer_email         text NOT NULL,
    amount_minor        bigint NOT NULL CHECK (amount_minor >= 0),
    currency            text NOT NULL,
    discount_code_id    uuid REFERENCES discount_codes (id),
    hold_expires_at     timestamptz NOT NULL,
    checkout_session_id text UNIQUE,
    payment_intent      text,
    refunded_minor      bigint NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL DEFAULT now(),
    confirmed_at        timestamptz,
    cancelled_at        timestamptz
);
CREATE INDEX registrations_holds_due ON registrations (hold_expires_at) WHERE status = 'held';

CREATE TABLE attendees (
    id              uuid PRIMARY KEY,
    registration_id uuid NOT NULL REFERENCES registrations (id),
    name            text NOT NULL,
    email           text NOT NULL,
    answers         jsonb NOT NULL DEFAULT '{}',
    ticket_code     text UNIQUE,
    checked_in_at   timestamptz
);

-- Which capacity each attendee's ticket took, so that releasing gives back exactly that.
CREATE TABLE attendee_tickets (
    attendee_id    uuid NOT NULL REFERENCES attendees (id),
    ticket_type_id uuid NOT NULL REFERENCES ticket_types (id),
    price_minor    bigint NOT NULL,
    shards         jsonb NOT NULL, -- [[pool_id, shard], ...] in the order they were taken
    PRIMARY KEY (attendee_id, ticket_type_id)
);

CREATE TABLE stripe_events (
    id          text PRIMARY KEY,
    type        text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);

-- Seat holders of organizational memberships count as members while that membership is current.
ALTER TABLE known_memberships ADD COLUMN IF NOT EXISTS last_event_at timestamptz;
CREATE TABLE known_seats (
    seat_id       uuid PRIMARY KEY,
    membership_id uuid NOT NULL,
    email         text NOT NULL,
    active        boolean NOT NULL
);
CREATE INDEX known_seats_email ON known_seats (email) WHERE active;

CREATE TABLE levels (
    id          uuid PRIMARY KEY,
    name        text    NOT NULL UNIQUE,
    price_minor bigint  NOT NULL CHECK (price_minor >= 0),
    currency    text    NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    term        text    NOT NULL CHECK (term IN ('annual', 'monthly', 'lifetime')),
    retired_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE members (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    email      text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    id           uuid PRIMARY KEY,
    member_id    uuid NOT NULL REFERENCES members (id),
    level_id     uuid NOT NULL REFERENCES levels (id),
    status       text NOT NULL CHECK (status IN ('pending', 'active', 'lapsed', 'cancelled')),
    period_start timestamptz,
    period_end   timestamptz,
    auto_renew   boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Dues received, online or offline; the reference makes a repeated notice of one payment harmless.
CREATE TABLE dues_payments (
    id            uuid PRIMARY KEY,
    membership_id uuid   NOT NULL REFERENCES memberships (id),
    amount_minor  bigint NOT NULL CHECK (amount_minor >= 0),
    currency      text   NOT NULL,
    method        text   NOT NULL CHECK (method IN ('stripe', 'cheque', 'bank_transfer', 'cash')),
    reference     text   NOT NULL UNIQUE,
    paid_at       timestamptz NOT NULL
);

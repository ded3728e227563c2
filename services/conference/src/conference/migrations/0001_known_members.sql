-- Who is a member right now, learnt from membership events (never by asking that service).
-- One row per membership: a person with any active membership gets member prices.
CREATE TABLE known_memberships (
    membership_id uuid PRIMARY KEY,
    member_id     uuid NOT NULL,
    email         text NOT NULL,
    active        boolean NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX known_memberships_email ON known_memberships (email) WHERE active;

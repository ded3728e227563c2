-- Staff accounts (docs/staff.md): people who run the association's account, their role, and
-- their credentials (sessions and API tokens). Only hashes of passwords and tokens are kept.
CREATE TABLE staff (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    name          text NOT NULL,
    role          text NOT NULL,
    active        boolean NOT NULL DEFAULT true,
    password_hash text NOT NULL,
    totp_secret   text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    changed_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX staff_one_per_email ON staff (lower(email));

CREATE TABLE staff_credentials (
    id           uuid PRIMARY KEY,
    staff_id     uuid NOT NULL REFERENCES staff (id),
    kind         text NOT NULL CHECK (kind IN ('session', 'api_token')),
    label        text NOT NULL,
    token_sha256 bytea,
    client       text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX staff_credentials_of ON staff_credentials (staff_id, created_at);

-- What every service checks on each operator request (convene_service.staff): conference and
-- notifications keep tables of these names fed by events; here they are views of the above.
CREATE VIEW staff_directory AS SELECT id AS staff_id, name, role, active, changed_at FROM staff;
CREATE VIEW revoked_credentials AS
    SELECT id AS credential_id, staff_id, revoked_at FROM staff_credentials WHERE revoked_at IS NOT NULL;

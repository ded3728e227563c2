-- Who the staff are, as membership's staff_changed and staff_credential_revoked events say
-- (convene_service.staff): every operator request checks it. Never written by anything else.
CREATE TABLE staff_directory (
    staff_id uuid PRIMARY KEY,
    name text NOT NULL,
    role text NOT NULL,
    active boolean NOT NULL,
    changed_at timestamptz NOT NULL
);

CREATE TABLE revoked_credentials (
    credential_id uuid PRIMARY KEY,
    staff_id uuid NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT now()
);

-- Importing members from another platform (M12, docs/membership.md "Import members"). A member
-- and a membership remember the key they were imported under (the source's id, else the
-- address), so the same file imported twice finds them and changes nothing.
ALTER TABLE members ADD COLUMN source_id text UNIQUE;
ALTER TABLE memberships ADD COLUMN import_key text UNIQUE;

-- An uploaded file after its dry run: its rows as read, the report, and the import's progress.
-- Rows are marked done in the transaction that applies them, so an import resumes where it stopped.
CREATE TABLE member_imports (
    id               uuid PRIMARY KEY,
    file_name        text NOT NULL,
    encoding         text NOT NULL,
    columns          jsonb NOT NULL,
    report           jsonb NOT NULL,
    status           text NOT NULL CHECK (status IN ('checked', 'queued', 'done')),
    send_invitations boolean NOT NULL DEFAULT false,
    total            int NOT NULL DEFAULT 0,
    done             int NOT NULL DEFAULT 0,
    applied          jsonb NOT NULL DEFAULT '{}',
    checked_at       timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz
);
CREATE INDEX member_imports_queued ON member_imports (started_at) WHERE status = 'queued';
-- Retention deletes an import (its rows with it) IMPORT_RETENTION_DAYS after its dry run.
CREATE INDEX member_imports_checked ON member_imports (checked_at);

CREATE TABLE member_import_rows (
    import_id uuid NOT NULL REFERENCES member_imports (id) ON DELETE CASCADE,
    row_number int NOT NULL,
    seq       int NOT NULL,  -- the order they are applied in: a bundle's seats after its membership
    record    jsonb NOT NULL,
    done      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (import_id, row_number)
);
CREATE INDEX member_import_rows_owed ON member_import_rows (import_id, seq) WHERE NOT done;

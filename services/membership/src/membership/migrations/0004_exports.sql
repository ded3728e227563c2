-- A person's export gathered from every service (docs/privacy.md): the request, and each other
-- service's part as it arrives on convene.exports.v1. Both go after EXPORT_RETENTION_DAYS.
CREATE TABLE export_requests (
    id           uuid PRIMARY KEY,
    member_id    uuid NOT NULL,
    requested_at timestamptz NOT NULL
);
CREATE INDEX export_requests_age ON export_requests (requested_at);
CREATE INDEX export_requests_member ON export_requests (member_id);
CREATE TABLE export_parts (
    request_id  uuid NOT NULL,
    service     text NOT NULL,
    data        jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, service)
);
CREATE INDEX export_parts_age ON export_parts (received_at);

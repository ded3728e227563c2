-- The audit log (docs/staff.md): every operator change, who (staff id and name), when, what
-- (action, target, summary) and from where, written in the change's own transaction
-- (convene_service.audit). Membership's also holds the entries the other services publish.
CREATE TABLE audit_log (
    id          uuid PRIMARY KEY,
    service     text NOT NULL,
    staff_id    uuid,
    staff_name  text NOT NULL,
    action      text NOT NULL,
    target      text NOT NULL,
    summary     text NOT NULL,
    client      text NOT NULL,
    recorded_at timestamptz NOT NULL
);
CREATE INDEX audit_log_newest_first ON audit_log (recorded_at DESC);

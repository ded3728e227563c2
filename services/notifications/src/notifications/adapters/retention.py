"""Notifications' own retention rule: a finished email's bodies and attachments go after
DELIVERY_BODIES_RETENTION_DAYS; its delivery log row (who, what, when, status, subject) stays.
A batch of convene_delivery.retention, in its transaction: safe with several instances (SKIP LOCKED)."""

from datetime import timedelta

from convene_delivery.postgres import Connection

# The oldest finished (sent or failed) emails not pruned yet, by the index deliveries_unpruned.
PRUNE_BODIES = """
    WITH old AS (
        SELECT id FROM deliveries
        WHERE status <> 'pending' AND bodies_pruned_at IS NULL
          AND coalesce(sent_at, failed_at, created_at) < now() - $1::interval
        ORDER BY coalesce(sent_at, failed_at, created_at) LIMIT $2 FOR UPDATE SKIP LOCKED
    ), files AS (
        DELETE FROM delivery_attachments f USING old WHERE f.delivery_id = old.id
    )
    UPDATE deliveries d SET body_text = '', body_html = '', bodies_pruned_at = now()
    FROM old WHERE d.id = old.id"""


async def prune_delivery_bodies(conn: Connection, older_than: timedelta, limit: int) -> int:
    status: str = await conn.execute(PRUNE_BODIES, older_than, limit)
    return int(status.split()[-1])  # "UPDATE <n>"

"""What an operator asks a service's database about its outbox."""

from dataclasses import dataclass
from datetime import datetime

import asyncpg

from convene_delivery.relay import LEADER_LOCK


@dataclass(frozen=True)
class OutboxState:
    unpublished: int
    oldest_age_seconds: float | None  # of the oldest unpublished row; None when there is none
    leader: str | None  # who holds the relay's advisory lock: "pid 123 from 10.0.0.5 since ..."


async def outbox_state(dsn: str) -> OutboxState:
    conn = await asyncpg.connect(dsn)
    try:
        backlog = await conn.fetchrow(
            """SELECT count(*) AS unpublished, extract(epoch FROM now() - min(created_at))::float8 AS age
               FROM outbox WHERE published_at IS NULL"""
        )
        # A bigint advisory key shows in pg_locks as its high half (classid) and low half (objid).
        holder = await conn.fetchrow(
            """SELECT l.pid, a.client_addr::text AS client, a.application_name, a.backend_start
               FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
               WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                 AND l.classid::bigint = $1 AND l.objid::bigint = $2
                 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())""",
            LEADER_LOCK >> 32,
            LEADER_LOCK & 0xFFFFFFFF,
        )
    finally:
        await conn.close()
    assert backlog is not None
    return OutboxState(backlog["unpublished"], backlog["age"], _leader(holder))


def _leader(holder: asyncpg.Record | None) -> str | None:
    if holder is None:
        return None
    since: datetime | None = holder["backend_start"]
    where = holder["client"] or "a local socket"
    name = f" ({holder['application_name']})" if holder["application_name"] else ""
    started = f" since {since.isoformat(timespec='seconds')}" if since else ""
    return f"pid {holder['pid']}{name} from {where}{started}"

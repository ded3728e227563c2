"""The read side in Postgres: the delivery log (N3) and whether an address gets reminders (N4).
Plain rows, nothing changed; on the pool for pages and the API, or inside a unit of work."""

import re
from typing import Any

import asyncpg

from convene_delivery.postgres import Connection
from notifications.domain.deliveries import LogFilters


def like_part(words: str) -> str:
    """Any part of an address, for LIKE: its own characters (\\ % _) taken literally."""
    return "%" + re.sub(r"([\\%_])", r"\\\1", words.lower()) + "%"


class PostgresViews:
    def __init__(self, db: asyncpg.Pool | Connection) -> None:
        self._db = db

    async def find(self, filters: LogFilters) -> list[dict[str, Any]]:
        f = filters
        part = like_part(f.recipient_part) if f.recipient_part else None
        rows = await self._db.fetch(
            """SELECT id, event_id, event_type, template, recipient, subject, status, attempts, last_error,
                      created_at, sent_at, failed_at, transactional, correlation_id FROM deliveries
               WHERE ($1::text IS NULL OR lower(recipient) = lower($1)) AND ($2::text IS NULL OR event_type = $2)
                 AND ($3::text IS NULL OR status = $3) AND ($4::timestamptz IS NULL OR created_at >= $4)
                 AND ($5::timestamptz IS NULL OR created_at < $5) AND ($6::text IS NULL OR lower(recipient) LIKE $6)
                 AND ($8::uuid IS NULL OR correlation_id = $8)
               ORDER BY created_at DESC LIMIT $7""",
            f.recipient,
            f.event_type,
            f.status,
            f.since,
            f.before,
            part,
            f.limit,
            f.correlation_id,
        )
        return [dict(row) for row in rows]

    async def is_unsubscribed(self, email: str) -> bool:
        found: bool = await self._db.fetchval(
            "SELECT EXISTS (SELECT 1 FROM unsubscribes WHERE email = $1)", email.lower()
        )
        return found

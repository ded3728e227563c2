"""The delivery log (N3): what was sent to whom, when, and how it went; and sending one again.

The JSON API and the operators' page both read and resend through here.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from notifications.service_layer.intake import DELIVERY_CHANNEL

STATUSES = ("pending", "sent", "failed")


@dataclass(frozen=True)
class Filters:
    recipient: str | None = None  # the whole address, any case
    recipient_part: str | None = None  # any part of the address (the page's search)
    event_type: str | None = None
    status: str | None = None
    since: datetime | None = None
    before: datetime | None = None
    limit: int = 100


def _part(words: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", words.lower()) + "%"  # LIKE's own characters, literally


async def find(pool: asyncpg.Pool, f: Filters) -> list[dict[str, Any]]:
    """Newest first."""
    rows = await pool.fetch(
        """SELECT id, event_id, event_type, template, recipient, subject, status, attempts, last_error, created_at,
                  sent_at, failed_at, transactional FROM deliveries
           WHERE ($1::text IS NULL OR lower(recipient) = lower($1)) AND ($2::text IS NULL OR event_type = $2)
             AND ($3::text IS NULL OR status = $3) AND ($4::timestamptz IS NULL OR created_at >= $4)
             AND ($5::timestamptz IS NULL OR created_at < $5) AND ($6::text IS NULL OR lower(recipient) LIKE $6)
           ORDER BY created_at DESC LIMIT $7""",
        f.recipient, f.event_type, f.status, f.since, f.before, _part(f.recipient_part) if f.recipient_part else None,
        f.limit,
    )  # fmt: skip
    return [dict(row) for row in rows]


async def resend(pool: asyncpg.Pool, delivery_id: UUID) -> str | None:
    """Queues the email again, attachments and Message-ID unchanged; its recipient, or None when
    there is no such delivery or its person was erased (nothing left to send)."""
    recipient: str | None = await pool.fetchval(
        # A claim a worker holds on it ends: that worker's "sent" no longer counts, and it goes again.
        """UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), failed_at = NULL,
               claim = NULL WHERE id = $1 AND recipient <> 'erased' RETURNING recipient""",
        delivery_id,
    )
    if recipient is not None:
        await pool.execute(f"NOTIFY {DELIVERY_CHANNEL}")  # wakes the sender now rather than at its next poll
    return recipient

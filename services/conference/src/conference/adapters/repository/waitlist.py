"""Waitlist entries and the offers of freed seats made to them (C7)."""

import json
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from conference.domain.waitlist import WaitlistEntry, WaitlistStatus
from convene_delivery.postgres import Connection

_PAYLOAD = """
    SELECT w.id, w.conference_id, c.name AS conference_name, w.ticket_type_id, t.name AS ticket_type_name,
           w.name, w.email FROM waitlist_entries w JOIN conferences c ON c.id = w.conference_id
    JOIN ticket_types t ON t.id = w.ticket_type_id WHERE w.id = $1"""


def entry(row: Any) -> WaitlistEntry:
    shards = row["offered_shards"]
    return WaitlistEntry(
        id=row["id"],
        conference_id=row["conference_id"],
        ticket_type_id=row["ticket_type_id"],
        name=row["name"],
        email=row["email"],
        status=WaitlistStatus(row["status"]),
        offer_token_sha256=row["offer_token_sha256"],
        offer_expires_at=row["offer_expires_at"],
        offered_shards=json.loads(shards) if shards is not None else None,
    )


class SqlWaitlist:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, e: WaitlistEntry) -> bool:
        try:
            await self._conn.execute(
                "INSERT INTO waitlist_entries (id, conference_id, ticket_type_id, name, email)"
                " VALUES ($1, $2, $3, $4, $5)",
                e.id,
                e.conference_id,
                e.ticket_type_id,
                e.name,
                e.email,
            )
        except asyncpg.UniqueViolationError:
            return False
        return True

    async def get(self, entry_id: UUID) -> WaitlistEntry | None:
        row = await self._conn.fetchrow("SELECT * FROM waitlist_entries WHERE id = $1 FOR UPDATE", entry_id)
        return None if row is None else entry(row)

    async def first_waiting(self, ticket_type_id: UUID) -> WaitlistEntry | None:
        row = await self._conn.fetchrow(
            """SELECT * FROM waitlist_entries WHERE ticket_type_id = $1 AND status = 'waiting'
               ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED""",
            ticket_type_id,
        )
        return None if row is None else entry(row)

    async def offers_past_deadline(self, now: datetime) -> list[WaitlistEntry]:
        rows = await self._conn.fetch(
            """SELECT * FROM waitlist_entries WHERE status = 'offered' AND offer_expires_at <= $1
               ORDER BY offer_expires_at LIMIT 200 FOR UPDATE SKIP LOCKED""",
            now,
        )
        return [entry(row) for row in rows]

    async def save(self, e: WaitlistEntry) -> None:
        await self._conn.execute(
            """UPDATE waitlist_entries SET status = $2, offer_token_sha256 = $3, offer_expires_at = $4,
                   offered_shards = $5 WHERE id = $1""",
            e.id,
            e.status.value,
            e.offer_token_sha256,
            e.offer_expires_at,
            json.dumps(e.offered_shards) if e.offered_shards is not None else None,
        )

    async def save_passed_on(self, entries: list[WaitlistEntry]) -> None:
        """Every offer of one sweep in one statement."""
        if entries:
            await self._conn.execute(
                "UPDATE waitlist_entries SET status = 'expired' WHERE id = ANY($1::uuid[])", [e.id for e in entries]
            )

    async def payload(self, entry_id: UUID) -> Any:
        row = await self._conn.fetchrow(_PAYLOAD, entry_id)
        assert row is not None
        return row

"""Erasure (M10): a person's rows, found by the digest of their address, pseudonymized or removed.

Registrations, attendees and waitlist entries stay for the books (amounts, ticket types, counts,
Stripe ids, check-ins), each with the name and address replaced; answers go. Each table is
searched by `email_sha256(...)` (migrations/0009): a scan, which an erasure can afford.
"""

from datetime import datetime
from uuid import UUID

from convene_contracts import EXPORTS
from convene_delivery.postgres import Connection

ERASED_NAME = "Erased person"
# Each address becomes erased-<row id>@erased.example: convene_contracts.privacy.erased_address.
PAYERS = """UPDATE registrations SET payer_name = $2, payer_email = 'erased-' || id || '@erased.example'
    WHERE email_sha256(payer_email) = $1 RETURNING id"""
ATTENDEES = """UPDATE attendees SET name = $2, email = 'erased-' || id || '@erased.example', answers = '{}'
    WHERE email_sha256(email) = $1 RETURNING registration_id"""
# A place in the queue is given up; an offer already made runs out as any other (its seats return).
WAITLIST = """UPDATE waitlist_entries SET name = $2, email = 'erased-' || id || '@erased.example',
        status = CASE WHEN status = 'waiting' THEN 'expired' ELSE status END
    WHERE email_sha256(email) = $1 RETURNING id"""


class SqlPeople:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def payer_of(self, registration_id: UUID) -> str | None:
        found: str | None = await self._conn.fetchval(
            "SELECT payer_email FROM registrations WHERE id = $1 FOR UPDATE", registration_id
        )
        return found

    async def attendee_address(self, attendee_id: UUID) -> str | None:
        found: str | None = await self._conn.fetchval(
            "SELECT email FROM attendees WHERE id = $1 FOR UPDATE", attendee_id
        )
        return found

    async def erase(self, email_sha256: str, at: datetime) -> int:
        """Erases everything held under the address; returns how many rows named the person."""
        conn = self._conn
        registrations = {r["id"] for r in await conn.fetch(PAYERS, email_sha256, ERASED_NAME)}
        registrations |= {r["registration_id"] for r in await conn.fetch(ATTENDEES, email_sha256, ERASED_NAME)}
        entries = {r["id"] for r in await conn.fetch(WAITLIST, email_sha256, ERASED_NAME)}
        # Member prices: a seat held under the address goes; a membership stays known (its
        # organization's seat holders keep their price) under a pseudonymous address.
        seats = await conn.fetch(
            "DELETE FROM known_seats WHERE email_sha256(email) = $1 RETURNING seat_id", email_sha256
        )
        await conn.execute(
            "UPDATE known_memberships SET email = 'erased-' || membership_id || '@erased.example', updated_at = $2"
            " WHERE email_sha256(email) = $1",
            email_sha256,
            at,
        )
        # Published events of these registrations and entries carried the person (and the
        # certificate PDF): Kafka has them for its retention; the outbox forgets them now.
        # Export parts name people too, under a request id: erasures drop every published one.
        keys = [str(k) for k in registrations | entries]
        await conn.execute(
            "DELETE FROM outbox WHERE published_at IS NOT NULL AND (message_key = ANY($1::text[]) OR topic = $2)",
            keys,
            EXPORTS,
        )
        return len(keys) + len(seats)

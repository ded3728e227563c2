"""The waitlist (C7). A sold-out ticket type takes names in order. A freed seat is not released
to whoever asks next: its capacity units stay taken and are offered to the first person
waiting, with a claim link valid WAITLIST_OFFER_HOURS; unclaimed, it passes to the next, and
only when nobody waits does it go back to general sale."""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from conference.adapters.capacity import available
from conference.domain.model import RegistrationRefused
from conference.service_layer.attendee_links import claim_url
from conference.service_layer.deps import Deps
from convene_contracts import CONFERENCE
from convene_contracts import conference as contract
from convene_delivery.outbox import add_to_outbox
from convene_delivery.postgres import Connection

PRODUCER = "conference"


def _hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


async def _payload(conn: Connection, entry_id: UUID) -> dict[str, Any]:
    row = await conn.fetchrow(
        """SELECT w.id, w.conference_id, c.name AS conference_name, w.ticket_type_id, t.name AS ticket_type_name,
                  w.name, w.email FROM waitlist_entries w JOIN conferences c ON c.id = w.conference_id
           JOIN ticket_types t ON t.id = w.ticket_type_id WHERE w.id = $1""",
        entry_id,
    )
    assert row is not None
    return {"entry_id": row["id"], "conference_id": row["conference_id"], "conference_name": row["conference_name"],
            "ticket_type_id": row["ticket_type_id"], "ticket_type_name": row["ticket_type_name"], "name": row["name"],
            "email": row["email"]}  # fmt: skip


async def join(deps: Deps, conference_id: UUID, ticket_type_id: UUID, name: str, email: str) -> UUID:
    entry_id = uuid4()
    async with deps.pool.acquire() as conn, conn.transaction():
        belongs = await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM ticket_types WHERE id = $1 AND conference_id = $2)", ticket_type_id,
            conference_id,
        )  # fmt: skip
        if not belongs:
            raise RegistrationRefused("ticket_type_id", "not a ticket type of this conference")
        if await available(conn, ticket_type_id) > 0:
            raise RegistrationRefused("ticket_type_id", "seats are available: register instead")
        try:
            await conn.execute(
                "INSERT INTO waitlist_entries (id, conference_id, ticket_type_id, name, email)"
                " VALUES ($1, $2, $3, $4, $5)",
                entry_id, conference_id, ticket_type_id, name, email,
            )  # fmt: skip
        except asyncpg.UniqueViolationError:
            raise RegistrationRefused("email", "this person is on this waitlist already") from None
        await add_to_outbox(conn, CONFERENCE, contract.WaitlistJoined(
            producer=PRODUCER, correlation_id=uuid4(),
            payload=contract.WaitlistPayload(**await _payload(conn, entry_id))))  # fmt: skip
    return entry_id


async def offer_freed_seat(deps: Deps, conn: Connection, ticket_type_id: UUID, shards: list[list[Any]],
                           now: datetime) -> bool:  # fmt: skip
    """Keeps the freed units for the first person waiting; False if nobody waits."""
    entry_id = await conn.fetchval(
        """SELECT id FROM waitlist_entries WHERE ticket_type_id = $1 AND status = 'waiting'
           ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED""",
        ticket_type_id,
    )
    if entry_id is None:
        return False
    token = secrets.token_urlsafe(24)
    expires_at = now + timedelta(hours=deps.settings.waitlist_offer_hours)
    await conn.execute(
        """UPDATE waitlist_entries SET status = 'offered', offer_token_sha256 = $2, offer_expires_at = $3,
               offered_shards = $4 WHERE id = $1""",
        entry_id, _hash(token), expires_at, json.dumps(shards),
    )  # fmt: skip
    await add_to_outbox(conn, CONFERENCE, contract.WaitlistOffered(
        producer=PRODUCER, correlation_id=uuid4(), payload=contract.WaitlistOfferedPayload(
            **await _payload(conn, entry_id), claim_url=claim_url(deps, entry_id, token),
            offer_expires_at=expires_at)))  # fmt: skip
    return True


async def give_back(deps: Deps, conn: Connection, ticket_type_id: UUID, shards: list[list[Any]], now: datetime) -> None:
    """A seat freed by an expiry, a cancellation or an unclaimed offer: the waitlist first."""
    if not await offer_freed_seat(deps, conn, ticket_type_id, shards, now):
        for pool_id, shard in shards:
            await deps.capacity.release(conn, UUID(pool_id), shard)


@dataclass(frozen=True)
class Offer:
    """A seat kept for one person on the waitlist, as the claim page shows it."""

    entry_id: UUID
    conference_id: UUID
    conference_name: str
    time_zone: str
    ticket_type_name: str
    name: str
    expires_at: datetime
    open: bool  # still offered and in time; False once claimed, expired or passed on


async def offer(deps: Deps, entry_id: UUID, token: str) -> Offer | None:
    """The offer this claim link is for, without claiming it; None if the link is not right."""
    row = await deps.pool.fetchrow(
        """SELECT w.*, c.name AS conference_name, c.time_zone, t.name AS ticket_type_name
           FROM waitlist_entries w JOIN conferences c ON c.id = w.conference_id
           JOIN ticket_types t ON t.id = w.ticket_type_id
           WHERE w.id = $1 AND w.offer_token_sha256 = $2""",
        entry_id, _hash(token),
    )  # fmt: skip
    if row is None:
        return None
    still_open = row["status"] == "offered" and row["offer_expires_at"] > deps.clock()
    return Offer(row["id"], row["conference_id"], row["conference_name"], row["time_zone"], row["ticket_type_name"],
                 row["name"], row["offer_expires_at"], still_open)  # fmt: skip


async def claim(conn: Connection, entry_id: UUID, token: str, now: datetime) -> tuple[UUID, str, str, list[list[Any]]]:
    """Marks an offer claimed; returns (ticket type, name, email, the kept units)."""
    row = await conn.fetchrow(
        """UPDATE waitlist_entries SET status = 'claimed'
           WHERE id = $1 AND status = 'offered' AND offer_token_sha256 = $2 AND offer_expires_at > $3
           RETURNING ticket_type_id, name, email, offered_shards""",
        entry_id, _hash(token), now,
    )  # fmt: skip
    if row is None:
        raise RegistrationRefused("token", "this offer is unknown, claimed already or expired")
    return row["ticket_type_id"], row["name"], row["email"], json.loads(row["offered_shards"])


async def expire_offers(deps: Deps, now: datetime) -> int:
    """Unclaimed offers pass to the next person waiting (or back to sale), once each."""
    expired = 0
    async with deps.pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            """UPDATE waitlist_entries SET status = 'expired' WHERE id IN (
                   SELECT id FROM waitlist_entries WHERE status = 'offered' AND offer_expires_at <= $1
                   ORDER BY offer_expires_at LIMIT 200 FOR UPDATE SKIP LOCKED)
               RETURNING id, ticket_type_id, offered_shards""",
            now,
        )
        for row in rows:
            await add_to_outbox(conn, CONFERENCE, contract.WaitlistOfferExpired(
                producer=PRODUCER, correlation_id=uuid4(),
                payload=contract.WaitlistPayload(**await _payload(conn, row["id"]))))  # fmt: skip
            await give_back(deps, conn, row["ticket_type_id"], json.loads(row["offered_shards"]), now)
            expired += 1
    return expired

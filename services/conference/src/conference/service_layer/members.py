"""Keeps the conference's own table of who is a member, fed by membership events (C3)."""

import asyncpg

from convene_contracts import Event
from convene_contracts.membership import MembershipActivated
from convene_delivery.inbox import apply_once
from convene_delivery.postgres import Connection

CONSUMER = "conference"


async def membership_activated(pool: asyncpg.Pool, event: Event) -> None:
    assert isinstance(event, MembershipActivated)
    p = event.payload

    async def remember(conn: Connection) -> None:
        await conn.execute(
            """INSERT INTO known_memberships (membership_id, member_id, email, active) VALUES ($1, $2, $3, true)
               ON CONFLICT (membership_id) DO UPDATE SET active = true, email = excluded.email, updated_at = now()""",
            p.membership_id, p.member_id, p.email.lower(),
        )  # fmt: skip

    await apply_once(pool, CONSUMER, event, remember)


async def is_member(pool: asyncpg.Pool, email: str) -> bool:
    found: bool = await pool.fetchval(
        "SELECT EXISTS (SELECT 1 FROM known_memberships WHERE email = $1 AND active)", email.lower()
    )
    return found

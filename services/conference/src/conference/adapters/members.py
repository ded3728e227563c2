"""Keeps the conference's own table of who is a member, fed by membership events (C3).

A person gets member prices while any membership of theirs is current, or while they hold a
seat of a current organizational membership. Never asks the membership service.
"""

from uuid import UUID

import asyncpg

from conference.adapters.repository.people import SqlPeople
from convene_contracts import Event
from convene_contracts import membership as m
from convene_delivery.inbox import apply_once
from convene_delivery.postgres import Connection

CONSUMER = "conference"


def _facts(event: Event) -> tuple[UUID, UUID, str]:
    payload = event.payload
    assert isinstance(payload, m.MembershipFacts)
    return payload.membership_id, payload.member_id, payload.email.lower()


async def on_membership_event(pool: asyncpg.Pool, event: Event) -> None:
    """Current or not, by the kind of event; the newest event of a membership wins."""

    async def remember(conn: Connection) -> None:
        membership_id, member_id, email = _facts(event)
        active = isinstance(event, (m.MembershipActivated, m.MembershipRenewed))
        await conn.execute(
            """INSERT INTO known_memberships (membership_id, member_id, email, active, last_event_at)
               VALUES ($1, $2, $3, $4, $5)
               ON CONFLICT (membership_id) DO UPDATE SET active = excluded.active, email = excluded.email,
                   last_event_at = excluded.last_event_at, updated_at = now()
               WHERE known_memberships.last_event_at IS NULL
                  OR known_memberships.last_event_at <= excluded.last_event_at""",
            membership_id,
            member_id,
            email,
            active,
            event.occurred_at,
        )

    await apply_once(pool, CONSUMER, event, remember)


async def on_seat_event(pool: asyncpg.Pool, event: Event) -> None:
    async def remember(conn: Connection) -> None:
        p = event.payload
        assert isinstance(p, m.SeatPayload)
        await conn.execute(
            """INSERT INTO known_seats (seat_id, membership_id, email, active) VALUES ($1, $2, $3, $4)
               ON CONFLICT (seat_id) DO UPDATE SET active = excluded.active""",
            p.seat_id,
            p.membership_id,
            p.email.lower(),
            isinstance(event, m.SeatAssigned),
        )

    await apply_once(pool, CONSUMER, event, remember)


async def on_member_erased(pool: asyncpg.Pool, event: Event) -> None:
    async def forget(conn: Connection) -> None:
        assert isinstance(event, m.MemberErased)
        if event.payload.email_sha256 is not None:
            # Everything under the address: registrations, attendees, waitlist, member prices.
            await SqlPeople(conn).erase(event.payload.email_sha256, event.payload.erased_at)
            return
        member_id = event.payload.member_id  # an erasure from before digests: the member table only
        await conn.execute(
            "DELETE FROM known_seats WHERE membership_id IN (SELECT membership_id FROM known_memberships"
            " WHERE member_id = $1)",
            member_id,
        )
        await conn.execute("DELETE FROM known_memberships WHERE member_id = $1", member_id)

    await apply_once(pool, CONSUMER, event, forget)


# Which of the lower-case addresses in $1 (a text[]) get member prices. A constant fragment, so
# that a hold asks it in the same round trip as its other reads (hold_batches.py).
MEMBERS_AMONG = """SELECT e FROM unnest($1::text[]) AS e
    WHERE EXISTS (SELECT 1 FROM known_memberships WHERE email = e AND active)
       OR EXISTS (SELECT 1 FROM known_seats s JOIN known_memberships k USING (membership_id)
                  WHERE s.email = e AND s.active AND k.active)"""


HANDLERS = {
    "membership.activated": on_membership_event,
    "membership.renewed": on_membership_event,
    "membership.lapsed": on_membership_event,
    "membership.cancelled": on_membership_event,
    "membership.seat_assigned": on_seat_event,
    "membership.seat_removed": on_seat_event,
    "membership.member_erased": on_member_erased,
}

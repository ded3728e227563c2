"""Where a freed seat goes (C7): an expiry, a cancellation or an unclaimed offer frees capacity
units, which are offered to the first person waiting for that ticket type, with a claim link
valid WAITLIST_OFFER_HOURS; only when nobody waits do they go back to general sale."""

import json
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from conference.service_layer.attendee_links import HasSettings, claim_url
from conference.service_layer.unit_of_work import Row, Shards, UnitOfWork
from convene_contracts import Event
from convene_contracts import conference as contract
from convene_delivery.correlation import correlation_or_new

PRODUCER = "conference"


def waitlist_payload(row: Row) -> dict[str, Any]:
    """The fields every waitlist event carries, from `uow.waitlist.payload`."""
    return {
        "entry_id": row["id"],
        "conference_id": row["conference_id"],
        "conference_name": row["conference_name"],
        "ticket_type_id": row["ticket_type_id"],
        "ticket_type_name": row["ticket_type_name"],
        "name": row["name"],
        "email": row["email"],
    }


async def give_back(
    uow: UnitOfWork, deps: HasSettings, ticket_type_id: UUID, shards: Shards, now: datetime
) -> list[Event]:
    """The waitlist first (the offer's event), else the units go back to their pools."""
    entry = await uow.waitlist.first_waiting(ticket_type_id)
    if entry is None:
        for pool_id, shard in shards:
            await uow.seats.release(UUID(pool_id), shard)
        return []
    expires_at = now + timedelta(hours=deps.settings.waitlist_offer_hours)
    token = entry.offer(shards, expires_at)
    await uow.waitlist.save(entry)
    payload = contract.WaitlistOfferedPayload(
        **waitlist_payload(await uow.waitlist.payload(entry.id)),
        claim_url=claim_url(deps, entry.id, token),
        offer_expires_at=expires_at,
    )
    return [contract.WaitlistOffered(producer=PRODUCER, correlation_id=correlation_or_new(), payload=payload)]


async def give_back_registration(
    uow: UnitOfWork, deps: HasSettings, registration_id: UUID, now: datetime
) -> list[Event]:
    """Every unit this registration took (main tickets to the waitlist first) and its discount
    code use."""
    events: list[Event] = []
    for row in await uow.registrations.tickets(registration_id):
        events += await give_back(uow, deps, row["ticket_type_id"], json.loads(row["shards"]), now)
    await uow.discount_codes.give_back_use(registration_id)
    return events

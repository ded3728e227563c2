"""The waitlist (C7). A sold-out ticket type takes names in order. A freed seat is not released
to whoever asks next: its capacity units stay taken and are offered to the first person
waiting (seats.py); unclaimed, the offer passes to the next, and only when nobody waits does the
seat go back to general sale."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from conference.domain.errors import RegistrationRefused
from conference.domain.waitlist import WaitlistEntry, token_hash
from conference.service_layer import seats
from conference.service_layer.deps import Deps
from convene_contracts import Event
from convene_contracts import conference as contract
from convene_delivery.correlation import correlation_or_new

PRODUCER = "conference"


async def join(deps: Deps, conference_id: UUID, ticket_type_id: UUID, name: str, email: str) -> UUID:
    entry = WaitlistEntry(uuid4(), conference_id, ticket_type_id, name, email)
    async with deps.uow() as uow:
        if not await uow.catalog.ticket_type_belongs(ticket_type_id, conference_id):
            raise RegistrationRefused("ticket_type_id", "not a ticket type of this conference")
        if await uow.seats.available(ticket_type_id) > 0:
            raise RegistrationRefused("ticket_type_id", "seats are available: register instead")
        if not await uow.waitlist.add(entry):
            raise RegistrationRefused("email", "this person is on this waitlist already")
        payload = contract.WaitlistPayload(**seats.waitlist_payload(await uow.waitlist.payload(entry.id)))
        await uow.commit(
            [contract.WaitlistJoined(producer=PRODUCER, correlation_id=correlation_or_new(), payload=payload)]
        )
    return entry.id


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
    row = await deps.views.waitlist_offer(entry_id, token_hash(token))
    if row is None:
        return None
    still_open = row["status"] == "offered" and row["offer_expires_at"] > deps.clock()
    return Offer(
        row["id"],
        row["conference_id"],
        row["conference_name"],
        row["time_zone"],
        row["ticket_type_name"],
        row["name"],
        row["offer_expires_at"],
        still_open,
    )


async def expire_offers(deps: Deps, now: datetime) -> int:
    """Unclaimed offers pass to the next person waiting (or back to sale), once each."""
    async with deps.uow() as uow:
        entries = await uow.waitlist.offers_past_deadline(now)
        for entry in entries:
            entry.pass_on(now)
        await uow.waitlist.save_passed_on(entries)
        events: list[Event] = []
        for entry in entries:
            payload = contract.WaitlistPayload(**seats.waitlist_payload(await uow.waitlist.payload(entry.id)))
            events.append(
                contract.WaitlistOfferExpired(producer=PRODUCER, correlation_id=correlation_or_new(), payload=payload)
            )
            assert entry.offered_shards is not None
            events += await seats.give_back(uow, deps, entry.ticket_type_id, entry.offered_shards, now)
        await uow.commit(events)
    return len(entries)

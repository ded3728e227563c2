"""A person's own erasure (M10), from a link only they were sent.

The registration's link was sent to its payer, so it erases the payer; an attendee's own ticket
link was sent to that attendee only, so it erases that attendee, never the payer or the others of
the group. Either way: everything conference holds under that address (registrations, attendee
places, waitlist entries; see adapters/repository/people.py), and `conference.attendee_erased`
tells the other services to erase theirs. It carries the digest of the address, never the address.
"""

from uuid import UUID

from conference.domain.errors import NotFound
from conference.service_layer.announcements import PRODUCER
from conference.service_layer.deps import Deps
from conference.service_layer.unit_of_work import UnitOfWork
from convene_contracts.conference import AttendeeErased, AttendeeErasedPayload
from convene_contracts.privacy import email_digest, is_erased_address
from convene_delivery.correlation import correlation_or_new


async def erase_registrant(deps: Deps, registration_id: UUID) -> None:
    async with deps.uow() as uow:
        address = await uow.people.payer_of(registration_id)
        if address is None or is_erased_address(address):
            raise NotFound("registration")  # erased once: the link opens nothing any more
        await _erase(deps, uow, address)


async def erase_attendee(deps: Deps, attendee_id: UUID) -> None:
    async with deps.uow() as uow:
        address = await uow.people.attendee_address(attendee_id)
        if address is None or is_erased_address(address):
            raise NotFound("ticket")  # erased once: the ticket link opens nothing any more
        await _erase(deps, uow, address)


async def _erase(deps: Deps, uow: UnitOfWork, address: str) -> None:
    now, digest = deps.clock(), email_digest(address)
    await uow.people.erase(digest, now)
    erased = AttendeeErased(
        producer=PRODUCER,
        correlation_id=correlation_or_new(),
        payload=AttendeeErasedPayload(email_sha256=digest, erased_at=now),
    )
    await uow.commit([erased])

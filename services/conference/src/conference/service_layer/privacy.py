"""An attendee's own erasure (M10), from the link their registration's emails carry.

The link was sent to the registration's payer, so it erases the payer: everything conference
holds under that address (registrations, attendee places, waitlist entries; see
adapters/repository/people.py), and `conference.attendee_erased` tells notifications to erase
theirs. It carries the digest of the address, never the address.
"""

from uuid import UUID, uuid4

from conference.domain.errors import NotFound
from conference.service_layer.announcements import PRODUCER
from conference.service_layer.deps import Deps
from convene_contracts.conference import AttendeeErased, AttendeeErasedPayload
from convene_contracts.privacy import email_digest, is_erased_address


async def erase_registrant(deps: Deps, registration_id: UUID) -> None:
    now = deps.clock()
    async with deps.uow() as uow:
        address = await uow.people.payer_of(registration_id)
        if address is None or is_erased_address(address):
            raise NotFound("registration")  # erased once: the link opens nothing any more
        digest = email_digest(address)
        await uow.people.erase(digest, now)
        erased = AttendeeErased(
            producer=PRODUCER, correlation_id=uuid4(), payload=AttendeeErasedPayload(email_sha256=digest, erased_at=now)
        )
        await uow.commit([erased])

"""Turning events into owed emails (N1, N2, N4). Consumers only write here; the sender sends.

The delivery rows are written in the transaction that records the event in the inbox, so a
redelivered event finds both and owes nothing new; (event, template, recipient) is unique too.
"""

from collections.abc import Sequence
from uuid import UUID, uuid4

from convene_contracts import Event
from convene_contracts.conference import AttendeeErased
from convene_contracts.exports import ExportPartPayload, ExportRequested, NotificationExportPart
from convene_contracts.membership import MemberErased
from convene_contracts.privacy import is_erased_address
from notifications.domain.attachments import TicketQr
from notifications.domain.catalog import KINDS, Owed, member_of, own_address_of
from notifications.domain.deliveries import OwedBatch, OwedEmail
from notifications.domain.mentions import mentioned_in
from notifications.service_layer.deps import Deps
from notifications.service_layer.unit_of_work import UnitOfWork

ERASURES = (MemberErased, AttendeeErased)


async def take_in(deps: Deps, event: Event) -> None:
    """One event (an email owed, or an erasure), as a batch of one."""
    await take_in_batch(deps, [event])


async def take_in_batch(deps: Deps, events: Sequence[Event]) -> None:
    """A batch read from Kafka in one transaction, in order: a few statements for the whole
    batch, one commit, one wake-up for the sender. Each event still passes the inbox, so a
    redelivered batch owes nothing new."""
    async with deps.uow() as uow:
        new = await uow.deliveries.first_time_in(events)
        owed = {e.event_id: KINDS[e.event_type].emails(e) for e in new if e.event_type in KINDS}
        # Who of the batch's reminder recipients asked not to get reminders (N4): one query.
        asked = [
            o.recipient.lower()
            for e in new
            if e.event_id in owed and not KINDS[e.event_type].transactional
            for o in owed[e.event_id]
        ]
        unsubscribed = await uow.deliveries.unsubscribed_among(asked) if asked else set()
        batch = OwedBatch()
        for event in new:
            if isinstance(event, ExportRequested):
                await _answer(uow, event)
            elif isinstance(event, ERASURES):
                await uow.deliveries.owe(batch)  # what the batch owed before the erasure is erased with it
                batch = OwedBatch()
                await _forget(uow, event)
            else:
                _owe(deps, batch, event, owed[event.event_id], unsubscribed)
        await uow.deliveries.owe(batch)
        await uow.commit()


async def _answer(uow: UnitOfWork, event: ExportRequested) -> None:
    """Notifications' part of a person's export (docs/privacy.md), on the exports topic."""
    data = await uow.deliveries.export_of(event.payload.email_sha256)
    payload = ExportPartPayload(request_id=event.payload.request_id, service="notifications", data=data)
    await uow.deliveries.answer(
        NotificationExportPart(producer="notifications", correlation_id=event.correlation_id, payload=payload)
    )


async def _forget(uow: UnitOfWork, event: MemberErased | AttendeeErased) -> None:
    if isinstance(event, MemberErased):
        await uow.deliveries.forget_person(event.payload.member_id, event.payload.email_sha256)
    else:
        await uow.deliveries.forget_person(None, event.payload.email_sha256)


def _owe(deps: Deps, batch: OwedBatch, event: Event, owed: list[Owed], unsubscribed: set[str]) -> None:
    kind = KINDS[event.event_type]
    member_id: UUID | None = member_of(event)
    own = own_address_of(event)
    mentions = mentioned_in(event)
    for one in owed:
        if is_erased_address(one.recipient):
            continue  # about a person erased since: nobody receives it
        if member_id is not None and one.recipient.lower() == own:
            batch.addresses.append((member_id, one.recipient.lower()))
        headers: dict[str, str] = {}
        values = dict(one.values)
        if not kind.transactional:
            if one.recipient.lower() in unsubscribed:
                continue  # they asked not to get reminders; receipts still go
            values["unsubscribe_url"] = deps.links.page_url(one.recipient)
            headers = {
                "List-Unsubscribe": f"<{deps.links.one_click_url(one.recipient)}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        email = deps.renderer.render(event.event_type, one.recipient, **values)
        files = tuple(deps.draw_qr(f) if isinstance(f, TicketQr) else f for f in one.attachments)
        batch.emails.append(
            OwedEmail(
                uuid4(),
                event.event_id,
                event.event_type,
                email,
                headers,
                kind.transactional,
                member_id,
                files,
                mentions,
                correlation_id=event.correlation_id,
            )
        )

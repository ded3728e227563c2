"""Member prices only where membership is proven (docs/conference.md, "Member prices are proven").

A member's address typed into a registration by someone not signed in as that member holds its
seat at the non-member price, and the member's address is sent a link. Confirming through it,
while the hold lasts and before it is paid, lowers that attendee's tickets to the member price.
Money is never taken at a member price not proven: an open Checkout Session at the old price is
closed first (with no transaction open, B3), so the pay link then makes one at the new total."""

from dataclasses import dataclass
from uuid import UUID, uuid4

from conference.domain.errors import NotFound, PriceFinal, RegistrationRefused
from conference.domain.model import RegistrationStatus
from conference.service_layer import announcements
from conference.service_layer.attendee_links import member_price_is_valid
from conference.service_layer.deps import Deps
from conference.service_layer.unit_of_work import Row

FINAL = "the price is final: this registration is paid, cancelled or no longer held"


@dataclass(frozen=True)
class Offer:
    name: str
    conference_name: str
    currency: str
    amount_minor: int  # the attendee's tickets as held now
    member_amount_minor: int
    confirmed: bool  # the member price is taken already
    open: bool  # held and not yet paid: the price may still change


async def offer(deps: Deps, attendee_id: UUID, token: str) -> Offer:
    row = await _offer_row(deps, attendee_id, token)
    is_open = row["status"] == RegistrationStatus.HELD.value and row["hold_expires_at"] > deps.clock()
    return Offer(
        row["name"],
        row["conference_name"],
        row["currency"],
        row["amount"],
        row["member_amount"],
        row["pending"] == 0,
        is_open,
    )


async def confirm(deps: Deps, attendee_id: UUID, token: str) -> int:
    """Takes the member price for this attendee; the registration's new total. Twice is once."""
    row = await _offer_row(deps, attendee_id, token)
    if row["pending"] == 0:
        return int(row["registration_amount"])
    _still_open(deps, row)
    if not await deps.views.is_member(row["email"]):
        raise RegistrationRefused("token", "this address is no longer a member's: the non-member price stays")
    session = row["checkout_session_id"]
    if session is not None:  # a Checkout Session at the old price must not stay payable
        await deps.stripe.expire_checkout(session)
    async with deps.uow() as uow:
        registration = await uow.registrations.get(row["registration_id"])  # locks it: no payment lands meanwhile
        if registration is None or registration.status is not RegistrationStatus.HELD:
            raise PriceFinal(FINAL)
        if registration.hold_expires_at <= deps.clock():
            raise PriceFinal(FINAL)
        if not await uow.attendees.take_member_price(attendee_id, session):
            raise PriceFinal("the payment page was opened again meanwhile: open this link once more")
        events = []
        repriced = await uow.registrations.get(registration.id)
        assert repriced is not None
        if repriced.amount_minor == 0:  # the member price is nothing: confirmed at once, as a free ticket
            repriced.confirm(deps.clock(), payment_intent=None)
            await uow.registrations.save(repriced)
            await uow.registrations.issue_ticket_codes(repriced.id)
            events = await announcements.published(uow, deps, repriced, uuid4())
        await uow.commit(events)
    return repriced.amount_minor


async def _offer_row(deps: Deps, attendee_id: UUID, token: str) -> Row:
    found = await deps.views.member_offer(attendee_id) if member_price_is_valid(deps, attendee_id, token) else None
    if found is None:
        raise NotFound("member price offer")
    return found


def _still_open(deps: Deps, row: Row) -> None:
    if row["status"] != RegistrationStatus.HELD.value or row["hold_expires_at"] <= deps.clock():
        raise PriceFinal(FINAL)

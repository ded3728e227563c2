"""Events published by the conference service on `convene.conference.v1` (key: registration id).

A registration is one booking: one payer, one payment, one or more attendees (a group), each
attendee with their own ticket code. Payloads carry what notifications needs to write the email.
"""

from datetime import date
from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from convene_contracts.email import Email
from convene_contracts.envelope import Event, Payload


class AttendeeTicket(Payload):
    attendee_id: UUID
    name: str
    email: Email
    ticket_types: list[str] = Field(description="Names of the ticket types this attendee holds.")
    ticket_code: str | None = Field(default=None, description="Set once the registration is confirmed.")
    ticket_url: str | None = Field(
        default=None, description="This attendee's own signed link: their ticket only (None from older producers)."
    )


class RegistrationFacts(Payload):
    registration_id: UUID
    conference_id: UUID
    conference_name: str
    payer_name: str
    payer_email: Email
    attendees: list[AttendeeTicket]
    amount_minor: int = Field(ge=0)
    currency: str = Field(min_length=3, max_length=3)
    manage_url: str | None = Field(
        default=None, description="The payer's signed link to the whole registration: view, tickets, cancel."
    )
    starts_on: date | None = Field(default=None, description="First day, in the conference's time zone.")
    ends_on: date | None = None
    venue: str | None = None


class _RegistrationEvent(Event):
    payload: RegistrationFacts

    def aggregate_id(self) -> str:
        return str(self.payload.registration_id)


class RegistrationHeldPayload(RegistrationFacts):
    hold_expires_at: AwareDatetime
    checkout_url: str | None = Field(description="Where to pay; None for a free registration.")


class RegistrationHeld(_RegistrationEvent):
    """Seats are held while the payer pays."""

    event_type: Literal["conference.registration_held"] = "conference.registration_held"
    payload: RegistrationHeldPayload


class RegistrationConfirmed(_RegistrationEvent):
    """Paid (or free): the attendees have tickets."""

    event_type: Literal["conference.registration_confirmed"] = "conference.registration_confirmed"


class HoldExpired(_RegistrationEvent):
    """Nobody paid in time; the seats went back."""

    event_type: Literal["conference.hold_expired"] = "conference.hold_expired"


class RegistrationCancelledPayload(RegistrationFacts):
    refund_minor: int = Field(ge=0, description="What the refund policy gives back.")
    reason: str


class RegistrationCancelled(_RegistrationEvent):
    """The registration was cancelled; `refund_minor` is what the refund policy gives back."""

    event_type: Literal["conference.registration_cancelled"] = "conference.registration_cancelled"
    payload: RegistrationCancelledPayload


class RefundIssuedPayload(RegistrationFacts):
    refund_minor: int = Field(ge=0)
    reason: str = Field(examples=["cancelled by the attendee", "paid after the hold expired; sold out"])


class RefundIssued(_RegistrationEvent):
    """Stripe accepted a refund of `refund_minor` for this registration."""

    event_type: Literal["conference.refund_issued"] = "conference.refund_issued"
    payload: RefundIssuedPayload


class WaitlistPayload(Payload):
    entry_id: UUID
    conference_id: UUID
    conference_name: str
    ticket_type_id: UUID
    ticket_type_name: str
    name: str
    email: Email


class _WaitlistEvent(Event):
    payload: WaitlistPayload

    def aggregate_id(self) -> str:
        return str(self.payload.entry_id)


class WaitlistJoined(_WaitlistEvent):
    """A person joined the waitlist of a sold-out ticket type."""

    event_type: Literal["conference.waitlist_joined"] = "conference.waitlist_joined"


class WaitlistOfferedPayload(WaitlistPayload):
    claim_url: str = Field(description="Single-use; carries a secret.")
    offer_expires_at: AwareDatetime


class WaitlistOffered(_WaitlistEvent):
    """A seat freed up and is kept for this person until `offer_expires_at`."""

    event_type: Literal["conference.waitlist_offered"] = "conference.waitlist_offered"
    payload: WaitlistOfferedPayload


class WaitlistOfferExpired(_WaitlistEvent):
    """A waitlist offer ran out unclaimed; the seat goes to the next person."""

    event_type: Literal["conference.waitlist_offer_expired"] = "conference.waitlist_offer_expired"


class AttendeePayload(Payload):
    registration_id: UUID
    attendee_id: UUID
    conference_id: UUID
    conference_name: str
    name: str
    email: Email


class CheckedIn(Event):
    """An attendee was checked in at the door."""

    event_type: Literal["conference.checked_in"] = "conference.checked_in"
    payload: AttendeePayload

    def aggregate_id(self) -> str:
        return str(self.payload.registration_id)


class CertificateIssuedPayload(AttendeePayload):
    hours: float = Field(ge=0)
    certificate_url: str
    certificate_pdf_base64: str | None = Field(
        default=None, description="The certificate itself (one page), for notifications to attach."
    )


class CertificateIssued(Event):
    """An attendee's certificate of attendance is ready."""

    event_type: Literal["conference.certificate_issued"] = "conference.certificate_issued"
    payload: CertificateIssuedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.registration_id)


class AttendeeErasedPayload(Payload):
    email_sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="convene_contracts.privacy.email_digest() of the erased address."
    )
    erased_at: AwareDatetime


class AttendeeErased(Event):
    """An attendee (or a waitlisted person) asked to be forgotten from their attendee page;
    conference has erased them, and every other service erases what it holds under that address."""

    event_type: Literal["conference.attendee_erased"] = "conference.attendee_erased"
    payload: AttendeeErasedPayload

    def aggregate_id(self) -> str:
        return self.payload.email_sha256


class MemberPriceOfferedPayload(AttendeePayload):
    """Sent to the member's own address: the seat is held at the non-member price until the
    person confirms the membership through `confirm_url` (issue 15: member prices are proven)."""

    amount_minor: int = Field(ge=0, description="The attendee's tickets as held now (non-member prices).")
    member_amount_minor: int = Field(ge=0, description="The same tickets at the member price, once confirmed.")
    currency: str = Field(min_length=3, max_length=3)
    confirm_url: str = Field(description="Signed; confirms the member price while the hold lasts.")
    hold_expires_at: AwareDatetime


class MemberPriceOffered(Event):
    """A member holds seats at the non-member price and may confirm the member price."""

    event_type: Literal["conference.member_price_offered"] = "conference.member_price_offered"
    payload: MemberPriceOfferedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.registration_id)

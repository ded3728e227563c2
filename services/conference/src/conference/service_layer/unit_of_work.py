"""The unit of work as the use cases see it: the repositories and views of one transaction,
`commit(events)` (the state change and its outbox events together) and a rollback on leaving
without a commit. adapters/unit_of_work.py is the Postgres one; the unit tests' fake keeps
everything in dictionaries."""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Literal, Protocol, Self
from uuid import UUID

from conference.domain.booking import Booking
from conference.domain.model import DiscountCode
from conference.domain.refund import Refund
from conference.domain.registration import Registration
from conference.domain.waitlist import WaitlistEntry
from convene_contracts import Event


class Row(Protocol):
    """A row read from the database (or a dict in the unit tests): its columns by name."""

    def keys(self) -> Iterable[str]: ...
    def __getitem__(self, column: str) -> Any: ...


Shards = list[list[Any]]  # [[pool_id, shard], ...]: the capacity units one ticket took, in order


class Registrations(Protocol):
    async def get(self, registration_id: UUID) -> Registration | None:
        """Locks the registration (FOR UPDATE) for the rest of the unit of work."""

    async def add(self, booking: Booking, shards: list[Shards]) -> None:
        """A new hold: the registration, its attendees and their tickets (with the units each took)."""

    async def save(self, registration: Registration) -> None: ...
    async def facts(self, registration_id: UUID) -> tuple[Row, list[Row]]:
        """The registration with its conference's name and dates, and each attendee with their tickets."""

    async def checkout_lines(self, registration_id: UUID) -> list[Row]:
        """Per attendee: name, tickets (names) and amount, for Stripe Checkout's lines."""

    async def tickets(self, registration_id: UUID) -> list[Row]:
        """Every ticket's ticket_type_id and the shards (JSON) it took."""

    async def retake_seats(self, registration_id: UUID) -> bool:
        """The same seats again, all or none; False (nothing taken) when one has gone."""

    async def issue_ticket_codes(self, registration_id: UUID) -> None: ...
    async def attach_checkout(self, registration_id: UUID, session_id: str, url: str) -> bool:
        """Stores the Checkout Session if the registration is still held and has none: False otherwise."""

    async def refund_reported(self, payment_intent: str, amount_refunded_minor: int) -> None:
        """Stripe says this much of a payment went back (a refund made outside Convene, too)."""


class Refunds(Protocol):
    """Refunds owed, issued or failed (domain/refund.py)."""

    async def add(self, refund: Refund) -> None: ...
    async def get(self, refund_id: UUID) -> Refund | None:
        """Locks the refund (FOR UPDATE)."""

    async def for_payment(self, payment_intent: str) -> Refund | None:
        """The refund of this Stripe payment, locked (FOR UPDATE)."""

    async def claim(
        self, now: datetime, lease: timedelta, limit: int, registration_id: UUID | None = None
    ) -> list[Refund]:
        """Owed refunds due at `now` (only `registration_id`'s if given) that no one else has claimed
        (SKIP LOCKED): each counts an attempt and is moved a lease ahead, so another job takes
        it only if this one never answers."""

    async def save(self, refund: Refund) -> None: ...


class StripeEvents(Protocol):
    async def first_time(self, event_id: str, event_type: str) -> bool:
        """Records the event in this transaction; False when it was applied already. A delivery
        of the same event in flight makes this wait until that one commits or rolls back."""


class Seats(Protocol):
    async def take(self, pool_id: UUID) -> int | None:
        """One unit of the pool, waiting for a busy shard; the shard, or None when sold out."""

    async def release(self, pool_id: UUID, shard: int) -> None: ...
    async def available(self, pool_id: UUID) -> int: ...


class DiscountCodes(Protocol):
    async def use(self, discount: DiscountCode) -> bool:
        """Takes one use while uses remain; False when used up."""

    async def give_back_use(self, registration_id: UUID) -> None:
        """The registration's use back to the code, once: nothing if it holds none."""

    async def take_again(self, registration_id: UUID) -> bool:
        """A late payment takes its code's use again: False when none is left (nothing taken).
        True when the registration has no code or holds its use still."""


class Waitlist(Protocol):
    async def add(self, entry: WaitlistEntry) -> bool:
        """False when this person is on this waitlist already."""

    async def get(self, entry_id: UUID) -> WaitlistEntry | None:
        """Locks the entry (FOR UPDATE)."""

    async def first_waiting(self, ticket_type_id: UUID) -> WaitlistEntry | None:
        """The longest-waiting entry not locked by another offer in flight (SKIP LOCKED)."""

    async def offers_past_deadline(self, now: datetime) -> list[WaitlistEntry]:
        """Up to a batch of offers that ran out, locked (SKIP LOCKED)."""

    async def save(self, entry: WaitlistEntry) -> None: ...
    async def save_passed_on(self, entries: list[WaitlistEntry]) -> None: ...
    async def payload(self, entry_id: UUID) -> Row:
        """The entry with its conference's and ticket type's names, as the waitlist events carry it."""


class Catalog(Protocol):
    async def add_conference(self, conference_id: UUID, fields: Row) -> None: ...
    async def update_conference(self, conference_id: UUID, fields: Row) -> bool: ...
    async def set_status(self, conference_id: UUID, status: str) -> bool: ...
    async def conference(self, conference_id: UUID) -> Row | None: ...
    async def conference_exists(self, conference_id: UUID) -> bool: ...
    async def add_ticket_type(self, ticket_type_id: UUID, conference_id: UUID, fields: Row) -> bool:
        """False when the conference has a ticket type of this name already."""

    async def add_discount_code(
        self, code_id: UUID, conference_id: UUID, fields: Row
    ) -> Literal["added", "code taken", "no conference"]: ...
    async def conference_of(self, ticket_type_id: UUID) -> UUID: ...
    async def ticket_type_belongs(self, ticket_type_id: UUID, conference_id: UUID) -> bool: ...


class Attendees(Protocol):
    async def for_check_in(self, ticket_code: str) -> Row | None:
        """The attendee of a confirmed registration with this code, locked (FOR UPDATE)."""

    async def check_in(self, attendee_id: UUID, at: datetime, by: str) -> None: ...
    async def undo_check_in(self, ticket_code: str) -> bool: ...
    async def issue_certificates(self, conference_id: UUID, hours: Any, at: datetime) -> list[Row]:
        """Certificates for the checked-in attendees who have none yet: those attendees' rows."""

    async def take_member_price(self, attendee_id: UUID, checkout_session_id: str | None) -> bool:
        """The attendee's tickets at their member price and the registration's total lowered, its
        Checkout Session forgotten; False (nothing changed) if the session is not that one any more."""


class People(Protocol):
    async def payer_of(self, registration_id: UUID) -> str | None: ...
    async def attendee_address(self, attendee_id: UUID) -> str | None:
        """The attendee's address, their row locked until the unit of work ends; None if unknown."""

    async def erase(self, email_sha256: str, at: datetime) -> int:
        """Pseudonymizes or removes every row held under the address; how many named the person."""


class Views(Protocol):
    """Reads for pages, dashboards, exports and reports (adapters/views/): they change nothing."""

    async def discount_code(self, conference_id: UUID, code: str) -> DiscountCode | None: ...
    async def is_member(self, email: str) -> bool: ...
    async def unpaid_seats(
        self, conference_id: UUID, client_address: str | None, payer_email: str, now: datetime
    ) -> tuple[int, int]:
        """Seats in holds not yet ended for this conference: (asked from this address, by this payer)."""

    async def holds_past(self, now: datetime) -> list[Row]: ...
    async def conference_page(self, conference_id: UUID) -> tuple[Row, list[Row], int | None] | None: ...
    async def open_conferences(self, now: datetime) -> list[Row]: ...
    async def registration_for_attendee(self, registration_id: UUID) -> tuple[Row, Row, list[Row]] | None: ...
    async def registration_details(self, registration_id: UUID) -> tuple[Row, list[Row]] | None: ...
    async def registrations_of(self, email: str) -> list[Row]: ...
    async def registration_of_attendee(self, attendee_id: UUID) -> UUID | None: ...
    async def member_offer(self, attendee_id: UUID) -> Row | None:
        """The attendee's member-price offer: their tickets now and at the member price, `pending`."""

    async def waitlist_offer(self, entry_id: UUID, token_sha256: bytes) -> Row | None: ...
    async def ticket(self, ticket_code: str) -> Row | None: ...
    async def certificate(self, attendee_id: UUID) -> Row | None: ...
    async def conferences(self) -> list[Row]: ...
    async def conference(self, conference_id: UUID) -> Row | None: ...
    async def ticket_types(self, conference_id: UUID) -> list[Row]: ...
    async def discount_codes(self, conference_id: UUID) -> list[Row]: ...
    async def registrations(self, conference_id: UUID, search: str, status: str, limit: int) -> list[Row]: ...
    async def registration_in_full(self, registration_id: UUID) -> tuple[Row, list[Row]] | None: ...
    async def by_ticket_type(self, conference_id: UUID) -> list[Row]: ...
    async def registrations_for_export(self, conference_id: UUID) -> list[Row]: ...
    async def revenue_by_month(self, conference_id: UUID, zone: str) -> list[Row]: ...
    async def registrations_by_day(self, conference_id: UUID, zone: str, days: int) -> list[Row]: ...
    async def attendance(self, conference_id: UUID) -> Row: ...


class UnitOfWork(Protocol):
    registrations: Registrations
    seats: Seats
    discount_codes: DiscountCodes
    waitlist: Waitlist
    catalog: Catalog
    attendees: Attendees
    refunds: Refunds
    stripe_events: StripeEvents
    people: People
    views: Views

    async def commit(self, events: Sequence[Event]) -> None:
        """Writes `events` to the outbox and commits them with the changes."""

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Rolls back unless committed."""

"""In-memory stand-ins for notifications' storage: the unit of work and its repository, the
sending queue and the views, over one dictionary-backed store. `world.py` puts them and the fake
gateways (fake_gateways.py) together in a Deps. Nothing here opens a socket."""

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from convene_contracts import Event
from convene_contracts.exports import ExportPart
from convene_contracts.notifications import NotificationFailed
from convene_contracts.privacy import email_digest
from notifications.domain.attachments import Attachment
from notifications.domain.deliveries import ClaimedEmail, LogFilters, OwedBatch
from notifications.domain.email import RenderedEmail

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@dataclass
class Delivery:
    """One row of the fake `deliveries` table."""

    id: UUID
    event_id: UUID
    event_type: str
    email: RenderedEmail
    headers: dict[str, str]
    transactional: bool
    member_id: UUID | None
    attachments: tuple[Attachment, ...]
    created_at: datetime
    status: str = "pending"
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime = START
    claim: UUID | None = None


@dataclass
class State:
    """Everything the fake database holds."""

    now: datetime = START
    inbox: set[UUID] = field(default_factory=set)
    deliveries: dict[UUID, Delivery] = field(default_factory=dict)
    addresses: set[tuple[UUID, str]] = field(default_factory=set)
    unsubscribes: set[str] = field(default_factory=set)
    outbox: list[Event] = field(default_factory=list)
    dead_letters: list[Event] = field(default_factory=list)  # outbox rows for the dead-letter topic
    wake_ups: int = 0  # NOTIFYs to the sender
    commits: int = 0

    def recipients(self) -> list[str]:
        return sorted(d.email.recipient for d in self.deliveries.values())

    def to(self, recipient: str) -> list[Delivery]:
        return [d for d in self.deliveries.values() if d.email.recipient == recipient]


class Database:
    """The store; a unit of work works on a copy and puts it back when it commits."""

    def __init__(self) -> None:
        self.state = State()


class FakeDeliveries:
    def __init__(self, state: State) -> None:
        self.state = state

    async def first_time_in(self, events: Sequence[Event]) -> list[Event]:
        new = []
        for event in events:
            if event.event_id not in self.state.inbox:
                self.state.inbox.add(event.event_id)
                new.append(event)
        return new

    async def unsubscribed_among(self, addresses: Sequence[str]) -> set[str]:
        return set(addresses) & self.state.unsubscribes

    async def owe(self, batch: OwedBatch) -> None:
        self.state.addresses |= set(batch.addresses)
        taken = {(d.event_id, d.email.template, d.email.recipient) for d in self.state.deliveries.values()}
        written = False
        for owed in batch.emails:
            key = (owed.event_id, owed.rendered.template, owed.rendered.recipient)
            if key in taken:
                continue  # ON CONFLICT DO NOTHING
            taken.add(key)
            self.state.deliveries[owed.id] = Delivery(
                owed.id,
                owed.event_id,
                owed.event_type,
                owed.rendered,
                dict(owed.headers),
                owed.transactional,
                owed.member_id,
                owed.attachments,
                self.state.now,
                next_attempt_at=self.state.now,
            )
            written = True
        if written:
            self.state.wake_ups += 1

    async def forget_person(self, member_id: UUID | None, email_sha256: str | None) -> None:
        def theirs(member: UUID | None, email: str) -> bool:
            return email_digest(email) == email_sha256 if email_sha256 is not None else member == member_id

        addresses = {email for member, email in self.state.addresses if theirs(member, email)}
        self.state.addresses = {(m, e) for m, e in self.state.addresses if not theirs(m, e)}
        for d in self.state.deliveries.values():
            recipient = d.email.recipient.lower()
            if recipient != "erased" and (recipient in addresses or email_digest(recipient) == email_sha256):
                d.email = RenderedEmail(d.email.template, "erased", "(erased)", "", "")
                d.headers, d.claim = {}, None
                if d.status == "pending":
                    d.status, d.last_error = "failed", "erased before it was sent"
                else:
                    d.last_error = None
        self.state.unsubscribes = {e for e in self.state.unsubscribes if e not in addresses and not theirs(None, e)}

    async def export_of(self, email_sha256: str) -> dict[str, Any]:
        emails = [
            d.email.template for d in self.state.deliveries.values() if email_digest(d.email.recipient) == email_sha256
        ]
        return {"emails": emails}

    async def answer(self, part: ExportPart) -> None:
        self.state.outbox.append(part)

    async def fail(self, email: ClaimedEmail, claim: UUID, attempts: int, error: str) -> bool:
        d = self.state.deliveries[email.id]
        if d.claim != claim:
            return False
        d.status, d.attempts, d.last_error, d.claim = "failed", attempts, error, None
        return True

    async def park(self, failed: NotificationFailed) -> None:
        self.state.dead_letters.append(failed)

    async def retry_later(self, email: ClaimedEmail, claim: UUID, attempts: int, error: str, delay: timedelta) -> None:
        d = self.state.deliveries[email.id]
        if d.claim == claim:
            d.attempts, d.last_error, d.next_attempt_at, d.claim = attempts, error, self.state.now + delay, None


class FakeViews:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def find(self, filters: LogFilters) -> list[dict[str, Any]]:
        f = filters
        found = [
            d
            for d in self.db.state.deliveries.values()
            if (f.recipient is None or d.email.recipient.lower() == f.recipient.lower())
            and (f.recipient_part is None or f.recipient_part.lower() in d.email.recipient.lower())
            and (f.event_type is None or d.event_type == f.event_type)
            and (f.status is None or d.status == f.status)
            and (f.since is None or d.created_at >= f.since)
            and (f.before is None or d.created_at < f.before)
        ]
        found.sort(key=lambda d: d.created_at, reverse=True)
        return [
            {"id": d.id, "recipient": d.email.recipient, "event_type": d.event_type, "status": d.status}
            for d in found[: f.limit]
        ]

    async def is_unsubscribed(self, email: str) -> bool:
        return email.lower() in self.db.state.unsubscribes


class FakeUnitOfWork:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.committed = False

    async def __aenter__(self) -> Self:
        self.work = copy.deepcopy(self.db.state)
        self.deliveries = FakeDeliveries(self.work)
        self.views = FakeViews(self.db)
        return self

    async def commit(self, events: Sequence[Event] = ()) -> None:
        self.work.outbox.extend(events)
        self.work.commits += 1
        self.db.state = self.work
        self.committed = True

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        pass  # not committed: the copy is dropped, as a rollback drops the transaction's changes


class FakeSendingQueue:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim_due(self, claim: UUID, lease: timedelta, limit: int) -> list[ClaimedEmail]:
        state = self.db.state
        due = sorted(
            (d for d in state.deliveries.values() if d.status == "pending" and d.next_attempt_at <= state.now),
            key=lambda d: d.next_attempt_at,
        )[:limit]
        claimed = []
        for d in due:
            claimed.append(
                ClaimedEmail(
                    d.id, d.event_id, d.event_type, d.email, d.headers, d.attempts, d.next_attempt_at, d.attachments
                )
            )
            d.claim, d.next_attempt_at = claim, state.now + lease
        return claimed

    async def mark_sent(self, email: ClaimedEmail, claim: UUID, attempts: int, sent: Event) -> bool:
        d = self.db.state.deliveries[email.id]
        if d.claim != claim:
            return False
        d.status, d.attempts, d.claim = "sent", attempts, None
        self.db.state.outbox.append(sent)
        return True

    async def hand_back(self, claim: UUID, emails: Sequence[ClaimedEmail]) -> None:
        for email in emails:
            d = self.db.state.deliveries[email.id]
            if d.claim == claim:
                d.claim, d.next_attempt_at = None, email.due_at

    async def requeue(self, delivery_id: UUID) -> str | None:
        d = self.db.state.deliveries.get(delivery_id)
        if d is None or d.email.recipient == "erased":
            return None
        d.status, d.attempts, d.next_attempt_at, d.claim = "pending", 0, self.db.state.now, None
        self.db.state.wake_ups += 1
        return d.email.recipient

    async def unsubscribe(self, email: str) -> bool:
        if email.lower() in self.db.state.unsubscribes:
            return False
        self.db.state.unsubscribes.add(email.lower())
        return True

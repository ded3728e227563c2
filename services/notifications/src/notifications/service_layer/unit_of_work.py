"""What the use cases need from storage, as interfaces: the Postgres implementations are in
adapters/ (repository.py, views.py, unit_of_work.py), the unit tier's fakes keep dictionaries.

Two ways in, as the statements need them. A unit of work is one transaction: the intake (inbox
rows, deliveries, erasure) and a failed send with its event and its dead letter. The sending queue runs each of its
operations as one statement on the pool, outside any transaction: the claim, "sent" with its
event, the hand-back, a resend and an unsubscribe are each atomic on their own, and a
transaction around them would only add round trips to the sender's hot path (docs/benchmarks.md,
B4)."""

from collections.abc import Sequence
from datetime import timedelta
from types import TracebackType
from typing import Any, Protocol, Self
from uuid import UUID

from convene_contracts import Event
from convene_contracts.exports import ExportPart
from convene_contracts.notifications import NotificationFailed
from notifications.domain.deliveries import ClaimedEmail, LogFilters, OwedBatch


class Deliveries(Protocol):
    """The repository of deliveries, inside a unit of work's transaction."""

    async def first_time_in(self, events: Sequence[Event]) -> list[Event]:
        """Records the events in the inbox; the ones not taken in before, in order, each once."""
        ...

    async def unsubscribed_among(self, addresses: Sequence[str]) -> set[str]:
        """Which of these (lower-case) addresses asked not to get reminders."""
        ...

    async def owe(self, batch: OwedBatch) -> None:
        """Writes a batch's deliveries (an existing (event, template, recipient) is kept), their
        attachments and member addresses, and wakes the sender when anything is new."""
        ...

    async def forget_person(self, member_id: UUID | None, email_sha256: str | None) -> None:
        """Erasure: the person's addresses, names, documents and preferences go; what was still
        owed fails. Found by `email_sha256`, or without it by the addresses learnt for `member_id`."""
        ...

    async def export_of(self, email_sha256: str) -> dict[str, Any]:
        """What the log holds for the address: each email (what, when, status) and unsubscribes."""
        ...

    async def answer(self, part: ExportPart) -> None:
        """Writes an export's part to the outbox, for `convene.exports.v1`."""
        ...

    async def fail(self, email: ClaimedEmail, claim: UUID, attempts: int, error: str) -> bool:
        """Marks it failed if the claim still holds it; False when the claim had ended."""
        ...

    async def park(self, failed: NotificationFailed) -> None:
        """The failed email on the dead-letter topic (convene.notifications.v1.dlq), with its origin and
        error, written in this transaction: it goes out with the "failed" mark or not at all."""
        ...

    async def retry_later(self, email: ClaimedEmail, claim: UUID, attempts: int, error: str, delay: timedelta) -> None:
        """Due again after `delay`, if the claim still holds it."""
        ...


class SendingQueue(Protocol):
    """The due emails, and the addresses that asked for no reminders: each operation is one
    statement on its own."""

    async def claim_due(self, claim: UUID, lease: timedelta, limit: int) -> list[ClaimedEmail]:
        """Up to `limit` due emails, oldest first, kept for `claim` for one lease."""
        ...

    async def mark_sent(self, email: ClaimedEmail, claim: UUID, attempts: int, sent: Event) -> bool:
        """Sent, with its event in the outbox, if the claim still holds it; False otherwise."""
        ...

    async def hand_back(self, claim: UUID, emails: Sequence[ClaimedEmail]) -> None:
        """What a claim could not send goes back, due when it was due."""
        ...

    async def requeue(self, delivery_id: UUID) -> str | None:
        """Due again from scratch (attempts, claim and failure cleared), and the sender woken; its
        recipient, or None when there is no such delivery or its person was erased."""
        ...

    async def unsubscribe(self, email: str) -> bool:
        """True the first time; False when the address was unsubscribed already."""
        ...


class DeliveryLogView(Protocol):
    """The read side: the delivery log and preferences, changing nothing."""

    async def find(self, filters: LogFilters) -> list[dict[str, Any]]:
        """Newest first."""
        ...

    async def is_unsubscribed(self, email: str) -> bool: ...


class UnitOfWork(Protocol):
    @property
    def deliveries(self) -> Deliveries: ...

    @property
    def views(self) -> DeliveryLogView: ...

    async def commit(self, events: Sequence[Event] = ()) -> None:
        """Writes the events to the outbox and commits, in one transaction with the changes."""
        ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        """Rolls back unless committed."""
        ...

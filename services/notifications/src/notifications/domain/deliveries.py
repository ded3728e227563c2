"""An email owed, as the intake writes it, and an email claimed, as the sender sends it."""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from notifications.domain.attachments import Attachment
from notifications.domain.email import RenderedEmail


@dataclass(frozen=True)
class OwedEmail:
    """One delivery an event calls for, rendered, before it is written."""

    id: UUID
    event_id: UUID
    event_type: str
    rendered: RenderedEmail
    headers: dict[str, str]
    transactional: bool
    member_id: UUID | None
    attachments: tuple[Attachment, ...] = ()
    mentions: tuple[str, ...] = ()  # digests of the addresses the event names (domain/mentions.py)
    correlation_id: UUID | None = None  # the flow of the event that owes it


@dataclass
class OwedBatch:
    """What a batch of events owes, written together: one statement per table."""

    emails: list[OwedEmail] = field(default_factory=list)
    addresses: list[tuple[UUID, str]] = field(default_factory=list)  # (member, address), kept for erasure


@dataclass(frozen=True)
class ClaimedEmail:
    """A due delivery a worker claimed: what it sends, and what it reports about the send."""

    id: UUID
    event_id: UUID
    event_type: str
    rendered: RenderedEmail
    headers: dict[str, str]
    attempts: int  # tries before this one
    due_at: datetime  # when it was due before the claim moved it a lease ahead
    attachments: tuple[Attachment, ...] = ()
    correlation_id: UUID | None = None  # the flow of the event that owed it (None: written before it was kept)
    # The W3C trace context of the intake that owed it (empty when not traced): its send's span
    # belongs to the trace of the event that called for it.
    trace_context: dict[str, str] = field(default_factory=dict)

    @property
    def message_id(self) -> str:
        return f"<{self.id}@convene>"


@dataclass(frozen=True)
class LogFilters:
    """Which emails of the delivery log to show (N3)."""

    recipient: str | None = None  # the whole address, any case
    recipient_part: str | None = None  # any part of the address (the page's search)
    event_type: str | None = None
    status: str | None = None
    since: datetime | None = None
    correlation_id: UUID | None = None  # one flow's emails
    before: datetime | None = None
    limit: int = 100

"""The audit log (docs/staff.md): every operator change, with who, when, what and from where,
written in the same transaction as the change.

The operator check (`require_operator`, the pages' `require_operator_page`) notes who is changing
what on every request that is not a read; each service's unit of work calls `write_audit` in its
`commit`, so the row commits or rolls back with the change, and a request that changed nothing
writes nothing. Each request gets a note holder of its own (`AuditScope`, an ASGI middleware), so
a note never outlives its request.
"""

from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any
from uuid import UUID, uuid4

import asyncpg
from faststream.kafka import KafkaBroker

from convene_contracts import CONFERENCE, NOTIFICATIONS, Event
from convene_contracts.audit import (
    AuditRecorded,
    AuditRecordedPayload,
    ConferenceAuditRecorded,
    NotificationAuditRecorded,
)
from convene_delivery.consumer import Handler, RetryPolicy, Subscription
from convene_delivery.postgres import Connection

READS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class AuditNote:
    staff_id: UUID | None  # None: the bootstrap operator token (it only creates the first owner)
    staff_name: str
    action: str  # the route's name, e.g. "create_level", "check_in", "resend"
    target: str  # the path's ids, e.g. "conference_id=...", or the path itself
    summary: str
    client: str


@dataclass
class _Holder:
    note: AuditNote | None = None
    written: list[UUID] = field(default_factory=list)


_current: ContextVar[_Holder | None] = ContextVar("convene_audit", default=None)


class AuditScope:
    """ASGI middleware: each HTTP request starts with an empty note holder."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _current.set(_Holder())
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)


def note_change(
    method: str,
    staff_id: UUID | None,
    staff_name: str,
    action: str,
    target: str,
    summary: str,
    client: str,
) -> None:
    """Called by the operator checks: what this request is about to change, and who asks."""
    holder = _current.get()
    if holder is None or method in READS:
        return
    holder.note = AuditNote(staff_id, staff_name, action, target, summary[:200], client)


def has_audit_note() -> bool:
    """Whether this request still owes an audit row (so a commit without events writes one)."""
    holder = _current.get()
    return holder is not None and holder.note is not None and not holder.written


def add_to_summary(detail: str) -> None:
    """A use case adds what only it knows (the amount, the new role) to the request's summary."""
    holder = _current.get()
    if holder is not None and holder.note is not None:
        note = holder.note
        holder.note = AuditNote(
            note.staff_id, note.staff_name, note.action, note.target, f"{note.summary}: {detail}"[:500], note.client
        )


Published = type[ConferenceAuditRecorded | NotificationAuditRecorded]


async def write_audit(conn: Connection, service: str, published_as: Published | None = None) -> Event | None:
    """Inside the change's transaction: the audit row of the request's change, once per request
    (a request that commits twice records its first commit). With `published_as`, the event that
    carries the entry to membership's log, for the caller to put in the same outbox."""
    holder = _current.get()
    if holder is None or holder.note is None or holder.written:
        return None
    note, entry, at = holder.note, uuid4(), datetime.now(UTC)
    await insert_entry(conn, entry, service, note, at)
    holder.written.append(entry)
    if published_as is None:
        return None
    payload = AuditRecordedPayload(entry_id=entry, service=service, recorded_at=at, **asdict(note))
    return published_as(producer=service, correlation_id=uuid4(), payload=payload)


async def insert_entry(conn: Connection, entry: UUID, service: str, note: AuditNote, at: datetime) -> None:
    await conn.execute(
        """INSERT INTO audit_log (id, service, staff_id, staff_name, action, target, summary, client, recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING""",
        entry,
        service,
        note.staff_id,
        note.staff_name,
        note.action,
        note.target,
        note.summary,
        note.client,
        at,
    )


async def _collect(pool: asyncpg.Pool, event: Event) -> None:
    # The entry id is the row's key: a redelivered event finds its row, so no inbox is needed.
    assert isinstance(event, AuditRecorded)
    p = event.payload
    note = AuditNote(p.staff_id, p.staff_name, p.action, p.target, p.summary, p.client)
    async with pool.acquire() as conn:
        await insert_entry(conn, p.entry_id, p.service, note, p.recorded_at)


def collect_audit(broker: KafkaBroker, pool: asyncpg.Pool, retry: RetryPolicy) -> None:
    """Membership's copy of the other services' audit entries, for the owners' one log."""
    for topic, event_type in (
        (CONFERENCE, "conference.audit_recorded"),
        (NOTIFICATIONS, "notification.audit_recorded"),
    ):
        handlers: dict[str, Handler] = {event_type: partial(_collect, pool)}
        Subscription(broker, topic=topic, group_id="membership-audit", handlers=handlers, retry=retry)

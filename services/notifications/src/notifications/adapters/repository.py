"""Deliveries in Postgres: what the intake writes, what the sender claims and marks, erasure.

`PostgresDeliveries` runs inside a unit of work's transaction (adapters/unit_of_work.py).
`PostgresSendingQueue` runs each operation as one statement on the pool: see
service_layer/unit_of_work.py for why, and docs/notifications.md for the claim and its lease.
"""

import json
from collections.abc import Sequence
from datetime import timedelta
from operator import attrgetter
from typing import Any
from uuid import UUID

import asyncpg

from convene_contracts import EXPORTS, NOTIFICATIONS, Event
from convene_contracts.audit import NotificationAuditRecorded
from convene_contracts.exports import ExportPart
from convene_contracts.notifications import NotificationFailed
from convene_delivery.inbox import first_time_in
from convene_delivery.outbox import INSERT_OUTBOX_ROWS, OUTBOX_CHANNEL, add_dead_letter, add_to_outbox, outbox_values
from convene_delivery.postgres import Connection
from convene_delivery.tracing import carrier_of
from convene_service.audit import write_audit
from notifications.domain.attachments import Attachment
from notifications.domain.deliveries import ClaimedEmail, OwedBatch
from notifications.domain.email import RenderedEmail

CONSUMER = "notifications"
DELIVERY_CHANNEL = "convene_deliveries"  # a NOTIFY here wakes the sender before its next poll


def columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """Rows as one list per column, for unnest."""
    return [[row[i] for row in rows] for i in range(width)]


class PostgresDeliveries:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def first_time_in(self, events: Sequence[Event]) -> list[Event]:
        return await first_time_in(self._conn, CONSUMER, events)

    async def unsubscribed_among(self, addresses: Sequence[str]) -> set[str]:
        rows = await self._conn.fetch("SELECT email FROM unsubscribes WHERE email = ANY($1::text[])", addresses)
        return {r["email"] for r in rows}

    async def owe(self, batch: OwedBatch) -> None:
        conn = self._conn
        if batch.addresses:
            await conn.execute(
                """INSERT INTO member_addresses SELECT * FROM unnest($1::uuid[], $2::text[])
                   ON CONFLICT DO NOTHING""",
                *columns(batch.addresses, 2),
            )
        if not batch.emails:
            return
        rows = [
            (
                o.id,
                o.event_id,
                o.event_type,
                o.rendered.template,
                o.rendered.recipient,
                o.rendered.subject,
                o.rendered.text,
                o.rendered.html,
                json.dumps(o.headers),
                o.transactional,
                o.member_id,
                o.correlation_id,
                _trace_context(o.event_id),
            )
            for o in batch.emails
        ]
        written = {
            row["id"]
            for row in await conn.fetch(
                """INSERT INTO deliveries (id, event_id, event_type, template, recipient, subject, body_text,
                       body_html, headers, transactional, member_id, correlation_id, trace_context)
                   SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],
                                        $7::text[], $8::text[], $9::jsonb[], $10::boolean[], $11::uuid[], $12::uuid[],
                                        $13::jsonb[])
                   ON CONFLICT DO NOTHING RETURNING id""",
                *columns(rows, 13),
            )
        }
        files = [
            (o.id, f.filename, f.content_type, f.content, f.content_id)
            for o in batch.emails
            if o.id in written
            for f in o.attachments
        ]
        if files:
            await conn.execute(
                """INSERT INTO delivery_attachments
                   SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[], $5::text[])""",
                *columns(files, 5),
            )
        mentions = [(o.id, digest) for o in batch.emails if o.id in written for digest in o.mentions]
        if mentions:
            await conn.execute(
                "INSERT INTO delivery_mentions SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT DO NOTHING",
                *columns(mentions, 2),
            )
        if written:
            await conn.execute(f"NOTIFY {DELIVERY_CHANNEL}")  # the sender wakes once per batch

    async def forget_person(self, member_id: UUID | None, email_sha256: str | None) -> None:
        """Keeps the delivery log's shape (what was sent, when) without the person's data: found
        by the digest of their address, or (an erasure from before digests) by the addresses
        learnt for the member. Never by the delivery's member id: a seat holder's email carries
        the organization's contact's id, and is not the contact's to erase."""
        conn = self._conn
        if email_sha256 is not None:
            rows = await conn.fetch(
                "DELETE FROM member_addresses WHERE email_sha256(email) = $1 RETURNING email", email_sha256
            )
        else:
            rows = await conn.fetch("DELETE FROM member_addresses WHERE member_id = $1 RETURNING email", member_id)
        addresses = [r["email"] for r in rows]
        # What was still to be sent will not be: it ends as failed, and any claim on it with it.
        erased = await conn.fetch(
            """UPDATE deliveries SET recipient = 'erased', subject = '(erased)', body_text = '', body_html = '',
                   headers = '{}', claim = NULL,
                   last_error = CASE WHEN status = 'pending' THEN 'erased before it was sent' END,
                   failed_at = CASE WHEN status = 'pending' THEN now() ELSE failed_at END,
                   status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END,
                   bodies_pruned_at = coalesce(bodies_pruned_at, now())
               WHERE recipient <> 'erased' AND (lower(recipient) = ANY($1::text[]) OR email_sha256(recipient) = $2)
               RETURNING id""",
            addresses,
            email_sha256,
        )
        # Others' emails that named the person (a group's confirmation to its payer) keep their
        # log row and recipient; their bodies and files go, as retention would prune them.
        named = await conn.fetch(
            """UPDATE deliveries d SET body_text = '', body_html = '', subject = '(erased)',
                   bodies_pruned_at = coalesce(bodies_pruned_at, now()),
                   last_error = CASE WHEN status = 'pending' THEN 'erased before it was sent' ELSE last_error END,
                   failed_at = CASE WHEN status = 'pending' THEN now() ELSE failed_at END,
                   status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END, claim = NULL
               FROM delivery_mentions m WHERE m.delivery_id = d.id AND m.email_sha256 = $1 RETURNING d.id""",
            email_sha256,
        )
        await conn.execute("DELETE FROM delivery_mentions WHERE email_sha256 = $1", email_sha256)
        ids = [r["id"] for r in erased] + [r["id"] for r in named]
        # The attachments are the person's documents (certificates, tickets); the published
        # notification events of these emails go too (an SMTP error may quote the address).
        await conn.execute("DELETE FROM delivery_attachments WHERE delivery_id = ANY($1::uuid[])", ids)
        # Export parts name people too, under a request id: erasures drop every published one.
        await conn.execute(
            "DELETE FROM outbox WHERE published_at IS NOT NULL AND (message_key = ANY($1::text[]) OR topic = $2)",
            [str(i) for i in ids],
            EXPORTS,
        )
        await conn.execute(
            "DELETE FROM unsubscribes WHERE email = ANY($1::text[]) OR email_sha256(email) = $2",
            addresses,
            email_sha256,
        )

    async def export_of(self, email_sha256: str) -> dict[str, Any]:
        rows = await self._conn.fetch(
            """SELECT id, template, recipient, subject, status, created_at, sent_at, failed_at FROM deliveries
               WHERE email_sha256(recipient) = $1 ORDER BY created_at""",
            email_sha256,
        )
        unsubscribed = await self._conn.fetchval(
            "SELECT unsubscribed_at FROM unsubscribes WHERE email_sha256(email) = $1", email_sha256
        )
        emails: list[dict[str, Any]] = json.loads(json.dumps([dict(r) for r in rows], default=str))
        return {"emails": emails, "unsubscribed_at": None if unsubscribed is None else str(unsubscribed)}

    async def answer(self, part: ExportPart) -> None:
        await add_to_outbox(self._conn, EXPORTS, part)

    async def fail(self, email: ClaimedEmail, claim: UUID, attempts: int, error: str) -> bool:
        failed = await self._conn.fetchval(
            """UPDATE deliveries SET status = 'failed', failed_at = now(), attempts = $2, last_error = $3,
                   claim = NULL WHERE id = $1 AND claim = $4 RETURNING id""",
            email.id,
            attempts,
            error,
            claim,
        )
        return failed is not None

    async def park(self, failed: NotificationFailed) -> None:
        """The headers the consumers' dead letters carry, where they apply (no topic or offset: the
        email failed, not a message); the body is the `notification.failed` event itself."""
        p = failed.payload
        headers = {
            "x-origin-delivery-id": str(p.delivery_id),
            "x-origin-event-id": str(p.event_id),
            "x-origin-event-type": p.event_type,
            "x-origin-template": p.template,
            "x-attempts": str(p.attempts),
            "x-permanent": "true" if p.permanent else "false",
            "x-error": p.error[:2000],
        }
        await add_dead_letter(self._conn, NOTIFICATIONS, failed, headers)

    async def retry_later(self, email: ClaimedEmail, claim: UUID, attempts: int, error: str, delay: timedelta) -> None:
        await self._conn.execute(
            """UPDATE deliveries SET attempts = $2, last_error = $3, next_attempt_at = now() + $4, claim = NULL
               WHERE id = $1 AND claim = $5""",
            email.id,
            attempts,
            error,
            delay,
            claim,
        )


# Up to $3 due deliveries, oldest first, for claim $1 and a lease of $2; with their attachments.
CLAIM = """
    WITH due AS (
        SELECT id, next_attempt_at FROM deliveries WHERE status = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED
    )
    UPDATE deliveries d SET claim = $1, next_attempt_at = now() + $2::interval FROM due WHERE d.id = due.id
    RETURNING d.*, due.next_attempt_at AS due_at,
              array(SELECT f FROM delivery_attachments f WHERE f.delivery_id = d.id) AS files"""

# Delivery $1 sent on attempt $3, if claim $2 still holds it; with its event ($4-$8, its trace
# context $10) and the NOTIFY.
# Only pending rows carry a claim, so the claim alone is the test: a `status` condition would
# tempt the planner onto the partial index of pending rows, which a backlog fills with dead entries.
SENT = f"""
    WITH sent AS (
        UPDATE deliveries SET status = 'sent', sent_at = now(), attempts = $3, claim = NULL
        WHERE id = $1 AND claim = $2 RETURNING id
    ), event AS (
        {INSERT_OUTBOX_ROWS}
        SELECT $4, $5, $6, $7, $8, $10::jsonb FROM sent RETURNING event_id
    )
    SELECT pg_notify($9, '') FROM event"""  # noqa: S608 - constant fragments, no input

# What a claim could not send in time goes back, due when it was due.
HAND_BACK = """
    UPDATE deliveries d SET claim = NULL, next_attempt_at = back.due_at
    FROM unnest($2::uuid[], $3::timestamptz[]) AS back(id, due_at)
    WHERE d.id = back.id AND d.claim = $1"""


def _trace_context(event_id: UUID) -> str | None:
    """The context of the span taking the event in (convene_delivery.tracing), or None."""
    carrier = carrier_of(event_id)
    return None if carrier is None else json.dumps(carrier)


def _json(raw: Any) -> dict[str, str]:
    return dict(json.loads(raw)) if isinstance(raw, str) else dict(raw or {})


def claimed(row: Any) -> ClaimedEmail:
    email = RenderedEmail(row["template"], row["recipient"], row["subject"], row["body_text"], row["body_html"])
    files = tuple(
        Attachment(f["filename"], f["content_type"], bytes(f["content"]), f["content_id"]) for f in row["files"]
    )
    return ClaimedEmail(
        row["id"],
        row["event_id"],
        row["event_type"],
        email,
        _json(row["headers"]),
        row["attempts"],
        row["due_at"],
        files,
        correlation_id=row["correlation_id"],
        trace_context=_json(row["trace_context"]),
    )


class PostgresSendingQueue:
    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def claim_due(self, claim: UUID, lease: timedelta, limit: int) -> list[ClaimedEmail]:
        rows = await self._pool.fetch(CLAIM, claim, lease, limit)
        return sorted((claimed(row) for row in rows), key=attrgetter("due_at"))

    async def mark_sent(self, email: ClaimedEmail, claim: UUID, attempts: int, sent: Event) -> bool:
        values = outbox_values(NOTIFICATIONS, sent)
        # notification.sent continues the trace of the event that owed the email, as its send did.
        context = json.dumps(email.trace_context) if email.trace_context else None
        return bool(await self._pool.fetch(SENT, email.id, claim, attempts, *values, OUTBOX_CHANNEL, context))

    async def hand_back(self, claim: UUID, emails: Sequence[ClaimedEmail]) -> None:
        await self._pool.execute(HAND_BACK, claim, [e.id for e in emails], [e.due_at for e in emails])

    async def requeue(self, delivery_id: UUID) -> str | None:
        # The staff member's resend and its audit row (convene_service.audit) commit together.
        async with self._pool.acquire() as conn, conn.transaction():
            recipient: str | None = await conn.fetchval(
                # A claim a worker holds on it ends: that worker's "sent" no longer counts, and it goes again.
                # One whose bodies retention pruned has nothing left to send, as an erased one.
                """UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), failed_at = NULL,
                       claim = NULL WHERE id = $1 AND recipient <> 'erased' AND bodies_pruned_at IS NULL
                   RETURNING recipient""",
                delivery_id,
            )
            if recipient is not None:
                audited = await write_audit(conn, "notifications", NotificationAuditRecorded)
                if audited:
                    await add_to_outbox(conn, NOTIFICATIONS, audited)
        if recipient is not None:
            await self._pool.execute(f"NOTIFY {DELIVERY_CHANNEL}")  # wakes the sender now rather than at its next poll
        return recipient

    async def unsubscribe(self, email: str) -> bool:
        first = await self._pool.fetchval(
            "INSERT INTO unsubscribes (email) VALUES ($1) ON CONFLICT DO NOTHING RETURNING true", email.lower()
        )
        return bool(first)

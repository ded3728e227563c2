"""Turning events into owed emails (N1, N2, N4). Consumers only write here; the sender sends.

The delivery rows are written in the transaction that records the event in the inbox, so a
redelivered event finds both and owes nothing new; (event, template, recipient) is unique too.
"""

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode
from uuid import UUID, uuid4

import asyncpg

from convene_contracts import Event
from convene_contracts.membership import MemberErased
from convene_delivery.inbox import first_time_in
from convene_delivery.postgres import Connection
from notifications.adapters.templates import Renderer
from notifications.config import NotificationsSettings
from notifications.domain.attachments import Attachment
from notifications.domain.catalog import KINDS, Owed, member_of

CONSUMER = "notifications"
DELIVERY_CHANNEL = "convene_deliveries"


@dataclass(frozen=True)
class Intake:
    pool: asyncpg.Pool
    renderer: Renderer
    settings: NotificationsSettings

    def unsubscribe_signature(self, email: str) -> str:
        key = self.settings.unsubscribe_secret.encode()
        return hmac.new(key, f"unsubscribe:{email.lower()}".encode(), hashlib.sha256).hexdigest()[:32]

    def unsubscribe_url(self, email: str) -> str:
        """The one-click address of the List-Unsubscribe header (RFC 8058): mail clients post to it."""
        query = urlencode({"email": email.lower(), "sig": self.unsubscribe_signature(email)})
        return f"{self.settings.public_base_url}/unsubscribe?{query}"

    def unsubscribe_page_url(self, email: str) -> str:
        """The footer's link: a page that says what unsubscribing means and asks to confirm."""
        query = urlencode({"email": email.lower(), "sig": self.unsubscribe_signature(email)})
        return f"{self.settings.notifications_pages_url}/mail/unsubscribe?{query}"

    async def take_in(self, event: Event) -> None:
        """One event (an email owed, or an erasure), as a batch of one."""
        await self.take_in_batch([event])

    async def take_in_batch(self, events: Sequence[Event]) -> None:
        """A batch read from Kafka in one transaction, in order: a few statements for the whole
        batch, one commit, one wake-up for the sender. Each event still passes the inbox, so a
        redelivered batch owes nothing new."""
        async with self.pool.acquire() as conn, conn.transaction():
            new = await first_time_in(conn, CONSUMER, events)
            owed = {e.event_id: KINDS[e.event_type].emails(e) for e in new if not isinstance(e, MemberErased)}
            unsubscribed = await self._unsubscribed(conn, new, owed)
            batch = _Batch()
            for event in new:
                if isinstance(event, MemberErased):
                    await batch.write(conn)  # what the batch owed before the erasure is erased with it
                    batch = _Batch()
                    await _forget(conn, event)
                else:
                    self._owe(batch, event, owed[event.event_id], unsubscribed)
            await batch.write(conn)

    async def _unsubscribed(self, conn: Connection, new: list[Event], owed: dict[UUID, list[Owed]]) -> set[str]:
        """Who of the batch's reminder recipients asked not to get reminders (N4): one query."""
        asked = [o.recipient.lower() for e in new if e.event_id in owed and not KINDS[e.event_type].transactional
                 for o in owed[e.event_id]]  # fmt: skip
        if not asked:
            return set()
        rows = await conn.fetch("SELECT email FROM unsubscribes WHERE email = ANY($1::text[])", asked)
        return {r["email"] for r in rows}

    def _owe(self, batch: "_Batch", event: Event, owed: list[Owed], unsubscribed: set[str]) -> None:
        kind = KINDS[event.event_type]
        member_id = member_of(event)
        for one in owed:
            if member_id is not None:
                batch.addresses.append((member_id, one.recipient.lower()))
            headers: dict[str, str] = {}
            values = dict(one.values)
            if not kind.transactional:
                if one.recipient.lower() in unsubscribed:
                    continue  # they asked not to get reminders; receipts still go
                values["unsubscribe_url"] = self.unsubscribe_page_url(one.recipient)
                headers = {"List-Unsubscribe": f"<{self.unsubscribe_url(one.recipient)}>",
                           "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}  # fmt: skip
            email = self.renderer.render(event.event_type, one.recipient, **values)
            batch.deliveries.append((
                uuid4(), event.event_id, event.event_type, email.template, email.recipient, email.subject,
                email.text, email.html, json.dumps(headers), kind.transactional, member_id,
            ))  # fmt: skip
            batch.attachments.append(one.attachments)


@dataclass
class _Batch:
    """The rows a batch owes, written with one statement per table."""

    deliveries: list[tuple[Any, ...]] = field(default_factory=list)
    attachments: list[tuple[Attachment, ...]] = field(default_factory=list)  # one entry per delivery
    addresses: list[tuple[UUID, str]] = field(default_factory=list)  # (member, address) for erasure

    async def write(self, conn: Connection) -> None:
        if self.addresses:
            await conn.execute(
                """INSERT INTO member_addresses SELECT * FROM unnest($1::uuid[], $2::text[])
                   ON CONFLICT DO NOTHING""",
                *_columns(self.addresses, 2),
            )
        if not self.deliveries:
            return
        written = {
            row["id"]
            for row in await conn.fetch(
                """INSERT INTO deliveries (id, event_id, event_type, template, recipient, subject, body_text,
                       body_html, headers, transactional, member_id)
                   SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],
                                        $7::text[], $8::text[], $9::jsonb[], $10::boolean[], $11::uuid[])
                   ON CONFLICT DO NOTHING RETURNING id""",
                *_columns(self.deliveries, 11),
            )
        }
        files = [(d[0], f.filename, f.content_type, f.content, f.content_id)
                 for d, attached in zip(self.deliveries, self.attachments, strict=True) if d[0] in written
                 for f in attached]  # fmt: skip
        if files:
            await conn.execute(
                """INSERT INTO delivery_attachments
                   SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[], $5::text[])""",
                *_columns(files, 5),
            )
        if written:
            await conn.execute(f"NOTIFY {DELIVERY_CHANNEL}")  # the sender wakes once per batch


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows as one list per column, for unnest."""
    return [[row[i] for row in rows] for i in range(width)]


async def _forget(conn: Connection, event: MemberErased) -> None:
    """Keeps the delivery log's shape (what was sent, when) without the person's data."""
    member_id = event.payload.member_id
    addresses = [r["email"] for r in await conn.fetch(
        "DELETE FROM member_addresses WHERE member_id = $1 RETURNING email", member_id)]  # fmt: skip
    # What was still to be sent will not be: it ends as failed, and any claim on it with it.
    await conn.execute(
        """UPDATE deliveries SET recipient = 'erased', subject = '(erased)', body_text = '', body_html = '',
               headers = '{}', claim = NULL,
               last_error = CASE WHEN status = 'pending' THEN 'erased before it was sent' END,
               failed_at = CASE WHEN status = 'pending' THEN now() ELSE failed_at END,
               status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END
           WHERE member_id = $1 OR lower(recipient) = ANY($2::text[])""",
        member_id, addresses,
    )  # fmt: skip
    await conn.execute("DELETE FROM unsubscribes WHERE email = ANY($1::text[])", addresses)

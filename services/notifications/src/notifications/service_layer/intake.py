"""Turning events into owed emails (N1, N2, N4). Consumers only write here; the sender sends.

The delivery rows are written in the transaction that records the event in the inbox, so a
redelivered event finds both and owes nothing new; (event, template, recipient) is unique too.
"""

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode
from uuid import uuid4

import asyncpg

from convene_contracts import Event
from convene_contracts.membership import MemberErased
from convene_delivery.inbox import Effect, apply_once, apply_once_in
from convene_delivery.postgres import Connection
from notifications.adapters.templates import Renderer
from notifications.config import NotificationsSettings
from notifications.domain.catalog import KINDS, member_of

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
        await apply_once(self.pool, CONSUMER, event, self._owe(event))

    async def erase(self, event: Event) -> None:
        await apply_once(self.pool, CONSUMER, event, self._forget(event))

    async def take_in_batch(self, events: Sequence[Event]) -> None:
        """A batch read from Kafka in one transaction, in order: one commit, one wake-up for the
        sender. Each event still passes the inbox, so a redelivered batch owes nothing new."""
        async with self.pool.acquire() as conn, conn.transaction():
            for event in events:
                effect = self._forget(event) if isinstance(event, MemberErased) else self._owe(event)
                await apply_once_in(conn, CONSUMER, event, effect)

    def _owe(self, event: Event) -> Effect:
        kind = KINDS[event.event_type]
        member_id = member_of(event)

        async def owe(conn: Connection) -> None:
            for owed in kind.emails(event):
                if member_id is not None:
                    await conn.execute("INSERT INTO member_addresses VALUES ($1, $2) ON CONFLICT DO NOTHING",
                                       member_id, owed.recipient.lower())  # fmt: skip
                headers: dict[str, str] = {}
                values = dict(owed.values)
                if not kind.transactional:
                    if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM unsubscribes WHERE email = $1)",
                                           owed.recipient.lower()):  # fmt: skip
                        continue  # they asked not to get reminders; receipts still go
                    values["unsubscribe_url"] = self.unsubscribe_page_url(owed.recipient)
                    headers = {"List-Unsubscribe": f"<{self.unsubscribe_url(owed.recipient)}>",
                               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}  # fmt: skip
                email = self.renderer.render(event.event_type, owed.recipient, **values)
                delivery_id = await conn.fetchval(
                    """INSERT INTO deliveries (id, event_id, event_type, template, recipient, subject, body_text,
                           body_html, headers, transactional, member_id)
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING RETURNING id""",
                    uuid4(), event.event_id, event.event_type, email.template, email.recipient, email.subject,
                    email.text, email.html, json.dumps(headers), kind.transactional, member_id,
                )  # fmt: skip
                if delivery_id is not None and owed.attachments:
                    await conn.executemany(
                        "INSERT INTO delivery_attachments VALUES ($1, $2, $3, $4, $5)",
                        [(delivery_id, f.filename, f.content_type, f.content, f.content_id) for f in owed.attachments],
                    )
            await conn.execute(f"NOTIFY {DELIVERY_CHANNEL}")  # one wake-up per transaction: Postgres folds them

        return owe

    def _forget(self, event: Event) -> Effect:
        """Keeps the delivery log's shape (what was sent, when) without the person's data."""
        assert isinstance(event, MemberErased)
        member_id = event.payload.member_id

        async def forget(conn: Connection) -> None:
            addresses = [r["email"] for r in await conn.fetch(
                "DELETE FROM member_addresses WHERE member_id = $1 RETURNING email", member_id)]  # fmt: skip
            await conn.execute(
                """UPDATE deliveries SET recipient = 'erased', subject = '(erased)', body_text = '', body_html = '',
                       headers = '{}', last_error = NULL WHERE member_id = $1 OR lower(recipient) = ANY($2::text[])""",
                member_id, addresses,
            )  # fmt: skip
            await conn.execute("DELETE FROM unsubscribes WHERE email = ANY($1::text[])", addresses)

        return forget

"""Conference's part of a person's export (M10): what it holds under their address, found by the
digest membership sends (`membership.export_requested`), answered on `convene.exports.v1`.

The answer goes through the outbox like any event; the topic keeps it a day, the published row
goes with the outbox's retention or with any erasure, which drops every published export row
(docs/privacy.md).
"""

import json
from typing import Any

import asyncpg

from convene_contracts import EXPORTS, Event
from convene_contracts.exports import ConferenceExportPart, ExportPartPayload, ExportRequested
from convene_delivery.inbox import apply_once
from convene_delivery.outbox import add_to_outbox
from convene_delivery.postgres import Connection

CONSUMER = "conference"

REGISTRATIONS = """SELECT r.id, c.name AS conference, r.status, r.payer_name, r.payer_email, r.amount_minor,
        r.currency, r.created_at, r.confirmed_at, r.cancelled_at
    FROM registrations r JOIN conferences c ON c.id = r.conference_id
    WHERE email_sha256(r.payer_email) = $1 ORDER BY r.created_at"""
ATTENDEES = """SELECT a.id, a.registration_id, c.name AS conference, a.name, a.email, a.answers, a.ticket_code,
        a.checked_in_at, (SELECT issued_at FROM certificates WHERE attendee_id = a.id) AS certificate_issued_at
    FROM attendees a JOIN registrations r ON r.id = a.registration_id JOIN conferences c ON c.id = r.conference_id
    WHERE email_sha256(a.email) = $1 ORDER BY r.created_at"""
WAITLIST = """SELECT w.id, c.name AS conference, t.name AS ticket_type, w.name, w.email, w.status, w.created_at
    FROM waitlist_entries w JOIN conferences c ON c.id = w.conference_id JOIN ticket_types t ON t.id = w.ticket_type_id
    WHERE email_sha256(w.email) = $1 ORDER BY w.created_at"""


def _plain(rows: list[asyncpg.Record]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = json.loads(json.dumps([dict(r) for r in rows], default=str))
    for row in out:
        if isinstance(row.get("answers"), str):
            row["answers"] = json.loads(row["answers"])
    return out


async def on_export_requested(pool: asyncpg.Pool, event: Event) -> None:
    async def answer(conn: Connection) -> None:
        assert isinstance(event, ExportRequested)
        digest = event.payload.email_sha256
        data = {
            "registrations_paid_for": _plain(await conn.fetch(REGISTRATIONS, digest)),
            "attendee_places": _plain(await conn.fetch(ATTENDEES, digest)),
            "waitlist_entries": _plain(await conn.fetch(WAITLIST, digest)),
        }
        part = ExportPartPayload(request_id=event.payload.request_id, service="conference", data=data)
        reply = ConferenceExportPart(producer="conference", correlation_id=event.correlation_id, payload=part)
        await add_to_outbox(conn, EXPORTS, reply)

    await apply_once(pool, CONSUMER, event, answer)


HANDLERS = {"membership.export_requested": on_export_requested}

"""The parts of a person's export that conference and notifications send (`*.export_part` on
`convene.exports.v1`), kept until the download is gathered and EXPORT_RETENTION_DAYS pass."""

import json

import asyncpg

from convene_contracts import Event
from convene_contracts.exports import ExportPart
from convene_delivery.inbox import apply_once
from convene_delivery.postgres import Connection

CONSUMER = "membership"


async def on_export_part(pool: asyncpg.Pool, event: Event) -> None:
    async def keep(conn: Connection) -> None:
        assert isinstance(event, ExportPart)
        p = event.payload
        await conn.execute(
            """INSERT INTO export_parts (request_id, service, data) VALUES ($1, $2, $3)
               ON CONFLICT (request_id, service) DO NOTHING""",
            p.request_id,
            p.service,
            json.dumps(p.data),
        )

    await apply_once(pool, CONSUMER, event, keep)


HANDLERS = {"conference.export_part": on_export_part, "notification.export_part": on_export_part}

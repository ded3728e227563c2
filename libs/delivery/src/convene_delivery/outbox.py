"""Writing events to the transactional outbox.

The caller passes the connection of its own open transaction: the event row commits or rolls
back with the state change it describes. NOTIFY wakes the relay when (and only if) it commits.
"""

from convene_contracts import Event
from convene_delivery.postgres import Connection

OUTBOX_CHANNEL = "convene_outbox"


async def add_to_outbox(conn: Connection, topic: str, *events: Event) -> None:
    if not conn.is_in_transaction():
        raise RuntimeError("outbox writes belong inside the transaction of the state change")
    await conn.executemany(
        """INSERT INTO outbox (event_id, event_type, topic, message_key, body)
           VALUES ($1, $2, $3, $4, $5)""",
        [(e.event_id, e.event_type, topic, e.aggregate_id(), e.model_dump_json().encode()) for e in events],
    )
    await conn.execute(f"NOTIFY {OUTBOX_CHANNEL}")

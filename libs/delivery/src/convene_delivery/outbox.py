"""Writing events to the transactional outbox.

The caller passes the connection of its own open transaction: the event row commits or rolls
back with the state change it describes. NOTIFY wakes the relay when (and only if) it commits.
"""

import json
from collections.abc import Mapping
from uuid import UUID

from convene_contracts import Event, dead_letter_topic
from convene_delivery.postgres import Connection
from convene_delivery.tracing import current_carrier

OUTBOX_CHANNEL = "convene_outbox"
# The one definition of an outbox row: its columns here, its values in `outbox_values` and
# `trace_context_json`. The statements that write rows beside their state change in one statement
# (the batched writes of holds and of sent emails) start with this, followed by a SELECT of the
# six values in this order; the last, the trace context, may be NULL.
INSERT_OUTBOX_ROWS = "INSERT INTO outbox (event_id, event_type, topic, message_key, body, trace_context)"


async def add_to_outbox(conn: Connection, topic: str, *events: Event) -> None:
    if not conn.is_in_transaction():
        raise RuntimeError("outbox writes belong inside the transaction of the state change")
    if not events:
        return  # nothing happened: no row, and no NOTIFY
    rows = [outbox_values(topic, e) for e in events]
    ids, types, _topic, keys, bodies = (list(column) for column in zip(*rows, strict=True))
    # The trace of the transaction that writes the rows goes with them (None when not traced):
    # the relay's publish span continues it (convene_delivery.tracing).
    carrier = trace_context_json()
    # One round trip for the rows and the NOTIFY: every write path pays it, a rush of holds most.
    await conn.execute(
        """WITH added AS (
                INSERT INTO outbox (event_id, event_type, topic, message_key, body, trace_context)
                SELECT e.id, e.type, $2, e.key, e.body, $7::jsonb
                FROM unnest($3::uuid[], $4::text[], $5::text[], $6::bytea[]) AS e(id, type, key, body)
            )
            SELECT pg_notify($1, '')""",
        OUTBOX_CHANNEL,
        topic,
        ids,
        types,
        keys,
        bodies,
        carrier,
    )


def outbox_values(topic: str, event: Event) -> tuple[UUID, str, str, str, bytes]:
    """One event's outbox row, in the order of `outbox (event_id, event_type, topic, message_key,
    body)`, for a statement that writes it beside its state change (the sender's "sent")."""
    return event.event_id, event.event_type, topic, event.aggregate_id(), event.model_dump_json().encode()


def trace_context_json() -> str | None:
    """The current trace context as an outbox row keeps it (jsonb text), or None when untraced.
    A batched write takes it in each caller's own task, before the batch is written."""
    carrier = current_carrier()
    return None if carrier is None else json.dumps(carrier)


async def add_dead_letter(conn: Connection, origin_topic: str, event: Event, headers: Mapping[str, str]) -> None:
    """Parks `event` on `<origin_topic>.dlq` with `headers` (x-origin-..., x-error), in the caller's
    transaction: the state change that gave up and the parked message commit, or roll back, together.
    The row is the event's second one (its own topic has the first), hence the (event_id, topic) key."""
    if not conn.is_in_transaction():
        raise RuntimeError("a dead letter belongs inside the transaction of the state change that gave up")
    event_id, event_type, topic, key, body = outbox_values(dead_letter_topic(origin_topic), event)
    await conn.execute(
        """WITH added AS (
                INSERT INTO outbox (event_id, event_type, topic, message_key, body, headers)
                VALUES ($2, $3, $4, $5, $6, $7::jsonb)
            )
            SELECT pg_notify($1, '')""",
        OUTBOX_CHANNEL,
        event_id,
        event_type,
        topic,
        key,
        body,
        json.dumps(dict(headers)),
    )

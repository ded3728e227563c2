"""B4: 50,000 events wait in Kafka, then notifications starts: emails per second until the last
one is accepted, and duplicates.

The receiver is Postfix's smtp-sink (never the bottleneck; the tests keep their recording
server). It appends every message to one dump file, read afterwards for duplicate Message-IDs.
The clock starts when the notifications process is launched and stops when the dump holds every
email owed, both measured here, outside the service.
"""

import asyncio
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import asyncpg
from aiokafka import AIOKafkaProducer

from bench.stack import (
    KAFKA,
    POSTGRES,
    SINK_PORT,
    nothing_pending,
    restart_service,
    settings_from_environment,
    start_smtp_sink,
    stop_service,
)
from convene_contracts import Event
from notifications.domain.catalog import KINDS
from tests.support.samples import sample_events
from tests.support.waiting import wait_until

EVENTS = int(os.environ.get("B4_EVENTS", "50000"))  # fewer for a quick look while profiling
# A mix like a real flood: renewal reminders and receipts, tickets with QR and calendar invite.
MIX = ("membership.expiring_soon", "membership.renewed", "conference.registration_confirmed", "conference.checked_in")


def _events(run: str) -> list[Event]:
    chosen = []
    for n in range(EVENTS):
        event_type = MIX[n % len(MIX)]
        chosen.append(sample_events(f"b4-{run}-{n}@example.org")[event_type])
    return chosen


def _owed(events: list[Event]) -> Counter[str]:
    return Counter(owed.recipient for e in events for owed in KINDS[e.event_type].emails(e))


async def _produce(events: list[Event]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=KAFKA, acks="all", linger_ms=20, max_batch_size=1024 * 1024)
    await producer.start()
    try:
        for e in events:
            topic = "convene.membership.v1" if e.event_type.startswith("membership.") else "convene.conference.v1"
            await producer.send(topic, e.model_dump_json().encode(), key=str(e.event_id).encode())
        await producer.flush()
    finally:
        await producer.stop()


class Dump:
    """Reads smtp-sink's dump as it grows, counting this run's emails per recipient."""

    def __init__(self, path: Path, run_id: str) -> None:
        self.path, self.offset = path, 0
        self.prefix = f"to: b4-{run_id}-".encode()
        self.received: Counter[str] = Counter()

    def read(self) -> int:
        if self.path.exists():
            with self.path.open("rb") as f:
                f.seek(self.offset)
                data = f.read()
            end = data.rfind(b"\n") + 1  # a line still being written waits for the next read
            self.offset += end
            for line in data[:end].splitlines():
                if line[: len(self.prefix)].lower() == self.prefix:
                    self.received[line[4:].strip().decode()] += 1
        return sum(self.received.values())


async def _unsent(event_ids: list[UUID]) -> int:
    conn = await asyncpg.connect(f"{POSTGRES}/notifications")
    try:
        unsent: int = await conn.fetchval(
            "SELECT count(*) FROM deliveries WHERE event_id = ANY($1::uuid[]) AND status <> 'sent'", event_ids
        )
        return unsent
    finally:
        await conn.close()


def run() -> dict[str, Any]:
    run_id = uuid4().hex[:8]
    events = _events(run_id)
    owed = _owed(events)
    sink, path = start_smtp_sink()
    dump = Dump(path, run_id)
    # Two processes: on 2 cores that drained 20,000 events at 561 emails/s against 475 with one.
    settings = {
        "SMTP_PORT": str(SINK_PORT),
        "SEND_RATE_PER_SECOND": "100000",
        "LOG_LEVEL": "WARNING",
        "HTTP_WORKERS": "2",
    } | settings_from_environment("B4_NOTIFICATIONS_")
    try:
        # Emails the stack already owed (the other scenarios' holds, at the stack's send cap) would
        # be sent inside the measured window: they go first, into the sink.
        restart_service("notifications", **settings)
        asyncio.run(wait_until(nothing_pending, seconds=1800))
        stop_service("notifications")
        asyncio.run(_produce(events))
        started = time.perf_counter()
        restart_service("notifications", **settings)
        asyncio.run(wait_until(lambda: dump.read() >= owed.total(), seconds=1800))
        seconds = time.perf_counter() - started
        time.sleep(2)  # anything sent twice would arrive now
        dump.read()
        unsent = asyncio.run(_unsent([e.event_id for e in events]))
    finally:
        sink.terminate()
        sink.wait()
        restart_service("notifications")  # back to the stack's own settings and mailbox
    return {
        "b4_emails_per_second": owed.total() / seconds,
        "b4_emails": float(owed.total()),
        "b4_duplicates": float(sum(max(0, n - owed[to]) for to, n in dump.received.items())),
        "b4_unsent_after": float(unsent),
    }

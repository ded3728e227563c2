"""What the chaos test counts once the system has settled, from the services' databases, the SMTP
server's mailbox and the Kafka broker. Every count is of things that went wrong: each must be 0."""

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Iterable
from uuid import UUID

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from notifications.bootstrap import SENDER_WORKERS
from tests.support.chaos_faults import Faults
from tests.support.chaos_load import Load
from tests.support.chaos_world import World
from tests.support.smtp import Mailbox

WELCOME, TICKET = "Welcome to ", "Your ticket for "


def received(mailbox: Mailbox) -> Counter[tuple[str, str]]:
    """How many welcome and ticket emails each address got: distinct emails, by Message-ID (each
    delivery has its own, `<delivery id@convene>`). The same Message-ID twice is one email the
    SMTP server took twice, which `retransmitted` counts apart. Each header is parsed once:
    parsing them again for every person would take minutes."""
    return Counter({key: len(set(ids)) for key, ids in _message_ids(mailbox).items()})


def retransmitted(mailbox: Mailbox) -> int:
    """Copies beyond the first of one email (one Message-ID): what a crash between the SMTP
    server's acceptance and the 'sent' mark sends again (docs/notifications.md)."""
    return sum(len(ids) - len(set(ids)) for ids in _message_ids(mailbox).values())


def _message_ids(mailbox: Mailbox) -> dict[tuple[str, str], list[str]]:
    with mailbox.lock:
        messages = list(mailbox.messages)
    ids: dict[tuple[str, str], list[str]] = {}
    for message in messages:
        subject = str(message["Subject"])
        for kind in (WELCOME, TICKET):
            if subject.startswith(kind):
                ids.setdefault((str(message["To"]), kind), []).append(str(message["Message-ID"]))
    return ids


def _uuids(ids: Iterable[str]) -> list[UUID]:
    return [UUID(i) for i in ids]


async def unpublished(databases: dict[str, str]) -> int:
    total = 0
    for dsn in databases.values():
        conn = await asyncpg.connect(dsn)
        try:
            total += await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        finally:
            await conn.close()
    return total


async def emails_owed(notifications: str) -> int:
    conn = await asyncpg.connect(notifications)
    try:
        owed: int = await conn.fetchval("SELECT count(*) FROM deliveries WHERE status = 'pending'")
        return owed
    finally:
        await conn.close()


async def _log_sizes(bootstrap: str, wanted: Callable[[TopicPartition], bool]) -> dict[TopicPartition, range]:
    """The offsets each wanted partition holds (from its first kept to its next)."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        # Fetches the metadata of every topic (and always awaits: aiokafka's consumer cannot be
        # stopped before its own start-up task has run).
        topics = await consumer.topics()
        partitions = [TopicPartition(t, p) for t in topics for p in consumer.partitions_for_topic(t) or ()]
        partitions = [tp for tp in partitions if wanted(tp)]
        if not partitions:
            return {}
        starts = await consumer.beginning_offsets(partitions)
        ends = await consumer.end_offsets(partitions)
        return {tp: range(starts[tp], ends[tp]) for tp in partitions}
    finally:
        await consumer.stop()


async def consumer_lag(bootstrap: str) -> int:
    """Messages the consumer groups have not committed yet, over every partition they read."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        groups = [g[0] for g in await admin.list_consumer_groups()]
        committed = [(tp, o.offset) for g in groups for tp, o in (await admin.list_consumer_group_offsets(g)).items()]
    finally:
        await admin.close()
    logs = await _log_sizes(bootstrap, lambda tp: any(tp == c for c, _ in committed))
    return sum(logs[tp].stop - max(offset, logs[tp].start) for tp, offset in committed if tp in logs)


async def dead_letters(bootstrap: str) -> int:
    return sum(len(r) for r in (await _log_sizes(bootstrap, lambda tp: tp.topic.endswith(".dlq"))).values())


async def count(load: Load, faults: Faults, mailbox: Mailbox) -> dict[str, int]:
    world = faults.world
    membership = await asyncpg.connect(world.databases["membership"])
    conference = await asyncpg.connect(world.databases["conference"])
    try:
        statuses: dict[str, str] = {
            r[0]: r[1] for r in await membership.fetch("SELECT id::text, status FROM memberships")
        }
        registrations: dict[str, str] = {
            r[0]: r[1] for r in await conference.fetch("SELECT id::text, status FROM registrations")
        }
        taken: dict[str, int] = {
            r[0]: r[1]
            for r in await conference.fetch(
                "SELECT pool_id::text, sum(taken)::int FROM capacity_shards WHERE pool_id = ANY($1) GROUP BY pool_id",
                _uuids(load.ticket_types),
            )
        }
    finally:
        await membership.close()
        await conference.close()
    paid_per_type = {t: sum(1 for p in load.paid_registrations.values() if p.ticket_type_id == t) for t in taken}
    members = {p.email for p in load.paid_memberships.values()}
    emails = received(mailbox)
    answers = load.client.answers
    in_window = [faults.inside_a_window(a.started, a.ended) for a in answers]
    acknowledged_m = [i for i, p in load.paid_memberships.items() if p.acknowledged]
    acknowledged_r = [i for i, p in load.paid_registrations.items() if p.acknowledged]
    return {
        "paid memberships not active": sum(1 for i in load.paid_memberships if statuses.get(i) != "active"),
        # Not exactly one, split: none is a lost email, more is a duplicate (see docs/notifications.md
        # for the one window where a crash resends an email the SMTP server had accepted).
        "members without a welcome email": sum(1 for e in members if emails[e, WELCOME] == 0),
        "members with more than one welcome email": sum(1 for e in members if emails[e, WELCOME] > 1),
        "seats sold above capacity": sum(max(0, taken[t] - load.ticket_types[t]) for t in taken),
        "seats sold below paid registrations": sum(max(0, paid_per_type[t] - taken[t]) for t in taken),
        "paid registrations not confirmed": sum(
            1 for i in load.paid_registrations if registrations.get(i) != "confirmed"
        ),
        "paid registrations without a ticket email": sum(
            1 for p in load.paid_registrations.values() if emails[p.email, TICKET] == 0
        ),
        "paid registrations with more than one ticket email": sum(
            1 for p in load.paid_registrations.values() if emails[p.email, TICKET] > 1
        ),
        "2xx answers whose effect is missing": (
            sum(1 for i in load.joined if i not in statuses)
            + sum(1 for i in load.registered if i not in registrations)
            + sum(1 for i in acknowledged_m if statuses.get(i) != "active")
            + sum(1 for i in acknowledged_r if registrations.get(i) != "confirmed")
        ),
        "5xx but 503 with Retry-After, in fault windows": sum(
            1
            for a, inside in zip(answers, in_window, strict=True)
            if inside and a.status is not None and a.status >= 500 and not (a.status == 503 and a.retry_after)
        ),
        "5xx outside fault windows": sum(
            1 for a, inside in zip(answers, in_window, strict=True) if not inside and (a.status or 0) >= 500
        ),
        "no answer outside fault windows": sum(
            1 for a, inside in zip(answers, in_window, strict=True) if not inside and a.status is None
        ),
        "requests given up": len(load.client.given_up),
        "answers no client should get": len(load.unexpected),
        # A kill -9 of notifications can cut off each sender worker between the SMTP server's
        # acceptance and the "sent" mark: at most one email per worker goes again, with its own
        # Message-ID (so it is one email above). Anything beyond that bound is a duplicate.
        "emails sent again beyond the crash window": max(
            0, retransmitted(mailbox) - SENDER_WORKERS * faults.kills("notifications")
        ),
        "outbox rows unpublished": await unpublished(world.databases),
        "messages on dead-letter topics": await dead_letters(world.kafka.bootstrap),
    }


def duplicates(mailbox: Mailbox) -> list[str]:
    """Each address that got a welcome or ticket email more than once, and whether the copies are
    one delivery sent again (one Message-ID) or two deliveries."""
    with mailbox.lock:
        messages = list(mailbox.messages)
    ids: dict[tuple[str, str], list[str]] = {}
    for m in messages:
        kind = next((k for k in (WELCOME, TICKET) if str(m["Subject"]).startswith(k)), None)
        if kind:
            ids.setdefault((str(m["To"]), kind), []).append(str(m["Message-ID"]))
    return [
        f"{to} {kind.strip()!r}: {len(i)} copies, {len(set(i))} Message-IDs"
        for (to, kind), i in ids.items()
        if len(i) > 1
    ]


async def settled(world: World, seconds: float = 120) -> bool:
    """Waits until nothing is left to do: every outbox published, every consumer group caught up,
    no email owed, and the mailbox no longer growing. False if that took longer than `seconds`
    (the counts then show what was left)."""
    deadline = time.monotonic() + seconds
    last, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        size = len(world.smtp.mailbox.messages)
        if size != last:
            last, quiet_since = size, time.monotonic()
        done = (
            await unpublished(world.databases) == 0
            and await consumer_lag(world.kafka.bootstrap) == 0
            and await emails_owed(world.databases["notifications"]) == 0
        )
        if done and time.monotonic() - quiet_since >= 2:
            return True
        await asyncio.sleep(0.5)
    return False

"""`convene-admin dlq` on the real stack: a welcome email whose handling fails is parked by
notifications' consumer; once the cause is gone, replay puts the original message back and the
member gets one email; a second replay, and a `--all` after it, change nothing."""

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import uuid4

import asyncpg
import pytest

from convene_contracts import MEMBERSHIP, dead_letter_topic
from tests.support.events import activated
from tests.support.kafka import produce, read_topic
from tests.support.services import Stack
from tests.support.smtp import SmtpServer
from tests.support.waiting import wait_until

from .operator_cli import admin, stack_settings


@dataclass
class Refusal:
    email: str
    trigger: str
    notifications: asyncpg.Connection

    async def fix(self) -> None:
        await self.notifications.execute(f"DROP TRIGGER IF EXISTS {self.trigger} ON deliveries")


@pytest.fixture
async def failing_deliveries(stack: Stack) -> AsyncIterator[Refusal]:
    """Notifications cannot write a delivery to one address (a trigger refuses it) until the test
    drops the trigger: a cause an operator fixes, as a bad template or a full column would be."""
    email = f"parked-{uuid4().hex[:10]}@example.org"
    name = f"refuse_{uuid4().hex[:8]}"
    conn = await asyncpg.connect(stack.databases["notifications"])
    await conn.execute(
        f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.recipient = '{email}' THEN RAISE EXCEPTION 'refused for the test'; END IF;
            RETURN NEW; END $$;
            CREATE TRIGGER {name} BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION {name}()"""
    )
    try:
        yield Refusal(email, name, conn)
    finally:
        await conn.execute(f"DROP TRIGGER IF EXISTS {name} ON deliveries; DROP FUNCTION IF EXISTS {name}()")
        await conn.close()


# About ten runs of the command line, each a process that starts in seconds, more on a busy machine.
@pytest.mark.timeout(400)
async def test_a_parked_message_replayed_has_one_effect(
    stack: Stack, smtp_server: SmtpServer, failing_deliveries: Refusal
) -> None:
    email, notifications = failing_deliveries.email, failing_deliveries.notifications
    settings = stack_settings(stack)
    event = activated(email=email)
    key = event.aggregate_id().encode()
    await produce(MEMBERSHIP, event.model_dump_json().encode(), key=key)

    async def parked() -> list[str]:
        listed = await admin("dlq", "list", "--topic", MEMBERSHIP, **settings)
        assert listed.code == 0, listed.err
        return [line for line in listed.out.splitlines() if str(event.event_id) in line]

    async def is_parked() -> bool:
        return bool(await parked())

    await wait_until(is_parked, seconds=120)
    [line] = await parked()
    topic, address, event_id, event_type, group, attempts, error = line.split("\t")
    assert (topic, event_id, event_type, group) == (
        dead_letter_topic(MEMBERSHIP),
        str(event.event_id),
        "membership.activated",
        "notifications",
    )
    assert attempts == "3"
    assert "refused for the test" in error

    shown = await admin("dlq", "show", MEMBERSHIP, address, **settings)
    assert shown.code == 0, shown.err
    document = json.loads(shown.out)
    assert document["key"] == key.decode()
    assert document["body"]["event_id"] == str(event.event_id)
    assert document["headers"]["x-origin-topic"] == MEMBERSHIP
    assert (await admin("dlq", "show", MEMBERSHIP, "0:999999999", **settings)).code == 3

    await failing_deliveries.fix()
    replayed = await admin("dlq", "replay", MEMBERSHIP, address, **settings)
    assert replayed.code == 0, replayed.err
    await asyncio.to_thread(smtp_server.mailbox.wait_for, email, 1, 60)

    again = await admin("dlq", "replay", MEMBERSHIP, address, **settings)
    assert again.code == 0, again.err
    every = await admin("dlq", "replay", MEMBERSHIP, "--all", "--consumer-group", "notifications", **settings)
    assert every.code == 0, every.err
    nothing_new = await admin("dlq", "replay", MEMBERSHIP, "--all", "--consumer-group", "notifications", **settings)
    assert nothing_new.code == 0, nothing_new.err
    assert "replayed 0 message(s)" in nothing_new.out

    # The replays went onto the event's partition; a later event with the same key lands behind
    # them, so once its email arrives notifications has dealt with every copy.
    marker = activated(email=f"marker-{uuid4().hex[:10]}@example.org")
    await produce(MEMBERSHIP, marker.model_dump_json().encode(), key=key)
    await asyncio.to_thread(smtp_server.mailbox.wait_for, marker.payload.email, 1, 60)
    assert len(smtp_server.mailbox.to(email)) == 1
    assert await notifications.fetchval("SELECT count(*) FROM deliveries WHERE recipient = $1", email) == 1
    on_topic = await read_topic(MEMBERSHIP, at_least=10**9, seconds=3)
    copies = [r for r in on_topic if r.headers.get("event_id") == str(event.event_id)]
    assert len(copies) >= 2  # each replay put the original back: same key, same event id
    assert {r.key for r in copies} == {key}

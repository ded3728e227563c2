"""Two notifications processes in one consumer group share the partitions and never send the
same email twice (P8, N2)."""

import asyncio
import re
import signal
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest

from convene_contracts import CONFERENCE
from tests.support.kafka import produce
from tests.support.samples import sample_events
from tests.support.services import ServiceProcess, Stack, service_process
from tests.support.smtp import SmtpServer
from tests.support.stack import kafka_bootstrap
from tests.support.waiting import wait_until


@pytest.fixture(autouse=True)
def mailbox_as_full_as_at_the_suites_end(smtp_server: SmtpServer) -> None:
    """The session's mailbox holds thousands of emails by the time these tests run in a full
    suite. With them, a mailbox that parsed every message on each look answered DATA too late
    while the test polled it, and the sender's retries showed here as 2 to 5 copies of one email
    (tests/support/smtp.py). Filling it here makes that visible when these tests run alone."""
    with smtp_server.mailbox.lock:
        for n in range(5000 - len(smtp_server.mailbox.messages)):
            filler = EmailMessage()
            filler["To"], filler["Subject"] = f"filler-{n}@example.org", "an earlier email"
            filler.set_content("An email another test received.\n" * 20)
            parsed = message_from_bytes(filler.as_bytes(), policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            smtp_server.mailbox.keep(parsed)


@pytest.fixture
def second_notifications(stack: Stack, smtp_server: SmtpServer, tmp_path: Path) -> Iterator[ServiceProcess]:
    process = service_process(
        "notifications",
        tmp_path,
        DATABASE_URL=stack.databases["notifications"],
        KAFKA_BOOTSTRAP_SERVERS=kafka_bootstrap(),
        SMTP_PORT=str(smtp_server.port),
        SEND_BACKOFF_SECONDS="0.2",
        SEND_MAX_ATTEMPTS="50",
        SMTP_TIMEOUT_SECONDS="5",
        SEND_LEASE_SECONDS="15",  # as the stack's
        SEND_RATE_PER_SECOND="1000",  # as the stack's: one cap for both
    )
    process.start()
    yield process
    process.stop()


async def checked_in_events(count: int, prefix: str) -> list[str]:
    """Publishes `count` check-ins for new people across the partitions; returns their addresses."""
    template = sample_events()["conference.checked_in"]
    people = [f"{prefix}-{uuid4().hex[:8]}@example.org" for _ in range(count)]
    for person in people:
        registration_id = uuid4()
        payload = template.payload.model_copy(update={"email": person, "registration_id": registration_id})
        event = template.model_copy(update={"event_id": uuid4(), "payload": payload})
        await produce(CONFERENCE, event.model_dump_json().encode(), key=str(registration_id).encode())
    return people


def assigned_partitions(log: Path) -> set[int]:
    """The partitions of the conference topic this process was given last (FastStream logs it)."""
    lines = [line for line in log.read_text().splitlines() if "assigned to partitions" in line and CONFERENCE in line]
    if not lines:
        return set()
    return {int(p) for p in re.findall(rf"topic='{re.escape(CONFERENCE)}', partition=(\d+)", lines[-1])}


async def test_two_instances_share_the_partitions_and_send_each_email_once(
    stack: Stack, second_notifications: ServiceProcess, smtp_server: SmtpServer
) -> None:
    first_log, second_log = stack.notifications.log, second_notifications.log
    await wait_until(lambda: bool(assigned_partitions(second_log)), seconds=60)
    await wait_until(lambda: assigned_partitions(first_log).isdisjoint(assigned_partitions(second_log)), seconds=60)
    assert assigned_partitions(first_log) | assigned_partitions(second_log) == {0, 1, 2}

    people = await checked_in_events(60, "scale")

    await wait_until(lambda: all(smtp_server.mailbox.to(p) for p in people), seconds=60)
    await asyncio.sleep(1)  # a second copy, if any, would arrive right behind the first
    assert [len(smtp_server.mailbox.to(p)) for p in people] == [1] * 60


async def test_an_instance_killed_mid_stream_causes_no_second_email(
    stack: Stack, second_notifications: ServiceProcess, smtp_server: SmtpServer
) -> None:
    await wait_until(lambda: bool(assigned_partitions(second_notifications.log)), seconds=60)
    people = [f"crash-{uuid4().hex[:8]}@example.org" for _ in range(300)]
    # Held recipients get 4xx, so no email can be accepted-but-not-marked when the kill lands:
    # only the consumer's redelivery is under test here.
    smtp_server.mailbox.hold(*people)
    template = sample_events()["conference.checked_in"]
    for person in people:
        registration_id = uuid4()
        payload = template.payload.model_copy(update={"email": person, "registration_id": registration_id})
        event = template.model_copy(update={"event_id": uuid4(), "payload": payload})
        await produce(CONFERENCE, event.model_dump_json().encode(), key=str(registration_id).encode())
    pool = await asyncpg.connect(stack.databases["notifications"])
    try:

        async def some_owed() -> bool:
            owed = await pool.fetchval("SELECT count(*) FROM deliveries WHERE recipient LIKE 'crash-%'")
            return bool(owed >= 20)

        await wait_until(some_owed, seconds=60)
        assert second_notifications.process is not None
        second_notifications.process.send_signal(signal.SIGKILL)  # mid-stream: offsets not all committed
        second_notifications.process.wait()
        second_notifications.start()  # and back
        smtp_server.mailbox.release(*people)
        await wait_until(lambda: all(smtp_server.mailbox.to(p) for p in people), seconds=120)
        await asyncio.sleep(1)
        assert [len(smtp_server.mailbox.to(p)) for p in people] == [1] * 300
        assert await pool.fetchval("SELECT count(*) FROM deliveries WHERE recipient LIKE 'crash-%'") == 300
    finally:
        await pool.close()

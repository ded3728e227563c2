"""The sender against a real Postgres: a worker keeps the emails it claimed for a lease, starts no
send its lease might not cover, and a worker that dies leaves its emails to go out once the
lease ends, once. The SMTP side is a recording stand-in where the claim is under test, and real
sockets for servers that stop answering or drop the line after taking a message."""

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import pytest

from convene_delivery.migrations import migrate, sources_for
from notifications.adapters.smtp import SmtpConnection
from notifications.bootstrap import SPEC, build_deps
from notifications.config import NotificationsSettings
from notifications.domain.attachments import Attachment
from notifications.domain.email import RenderedEmail
from notifications.entrypoints.jobs import send_emails
from notifications.service_layer import intake
from notifications.service_layer.deps import Deps
from tests.support.samples import sample_events
from tests.support.smtp import free_port
from tests.support.waiting import wait_until


def settings_for(database: str, **overrides: Any) -> NotificationsSettings:
    values: dict[str, Any] = {
        "database_url": database,
        "kafka_bootstrap_servers": "unused:9092",
        "operator_token_sha256": "0" * 64,
        "smtp_host": "127.0.0.1",
        "smtp_port": 2525,
        "smtp_from": "no-reply@cit.example",
        "association_name": "CIT International",
        "unsubscribe_secret": "u" * 32,
        "session_secret": "s" * 32,
        "send_rate_per_second": 1000,
        "sender_poll_seconds": 0.1,
        "send_backoff_seconds": 0.05,
    }
    return NotificationsSettings(**(values | overrides))


@pytest.fixture
async def pool(database: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await asyncpg.create_pool(database, min_size=1, max_size=4)
    async with pool.acquire() as conn:
        await migrate(conn, sources_for("notifications", SPEC.migrations))
    yield pool
    await pool.close()


async def owe(pool: asyncpg.Pool, config: NotificationsSettings, count: int) -> list[str]:
    people = [f"claim-{n}-{uuid4().hex[:6]}@example.org" for n in range(count)]
    deps = build_deps(config, pool)
    for person in people:
        await intake.take_in(deps, sample_events(person)["conference.checked_in"])
    return people


def delivery_id(message_id: str) -> UUID:
    return UUID(message_id.strip("<>").split("@")[0])


@dataclass
class Sent:
    recipient: str
    at: datetime
    lease_left: timedelta  # of the claim the email was sent under, when its send started


@dataclass
class RecordingSmtp:
    """Notes each email with how much of its claim's lease was left, then takes `seconds` to send."""

    pool: asyncpg.Pool
    seconds: float = 0.0
    sent: list[Sent] = field(default_factory=list)

    async def deliver(
        self, email: RenderedEmail, message_id: str, headers: dict[str, str], attachments: Sequence[Attachment] = ()
    ) -> None:
        left = await self.pool.fetchval(
            "SELECT next_attempt_at - now() FROM deliveries WHERE id = $1", delivery_id(message_id)
        )
        self.sent.append(Sent(email.recipient, datetime.now(UTC), left))
        await asyncio.sleep(self.seconds)


async def run_until(sender: Deps, done: Any) -> None:
    running = asyncio.create_task(send_emails(sender))
    try:
        await wait_until(done, seconds=20)
        await asyncio.sleep(0.3)  # a second send of anything would come now
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def send_to(server: Handler, pool: asyncpg.Pool, database: str, until: str, **overrides: Any) -> Any:
    """Runs a sender against `server`, on a real socket, until `until` (a query about the one email
    owed, its delivery row filtered here) is true; the delivery row after."""
    port = free_port()
    listening = await asyncio.start_server(server, "127.0.0.1", port)
    config = settings_for(database, smtp_port=port, **overrides)
    [person] = await owe(pool, config, 1)

    async def done() -> bool:
        return bool(await pool.fetchval(until + " WHERE recipient = $1", person))

    try:
        await run_until(build_deps(config, pool, [SmtpConnection(config)]), done)
    finally:
        listening.close()
    return await pool.fetchrow("SELECT * FROM deliveries WHERE recipient = $1", person)


async def test_a_worker_starts_no_send_its_lease_might_not_cover(pool: asyncpg.Pool, database: str) -> None:
    # Lease 3 s, sends time out after 1 s: a send may start only while 2 s of the lease are left.
    config = settings_for(database, smtp_timeout_seconds=1, send_lease_seconds=3)
    people = await owe(pool, config, 5)
    smtp = RecordingSmtp(pool, seconds=0.4)  # one claim of five would start its last at 1.6 s
    sender = build_deps(config, pool, [smtp])

    async def all_sent() -> bool:
        return bool(await pool.fetchval("SELECT count(*) = 5 FROM deliveries WHERE status = 'sent'"))

    await run_until(sender, all_sent)

    assert sorted(s.recipient for s in smtp.sent) == sorted(people)  # each once
    assert all(s.lease_left >= timedelta(seconds=2) for s in smtp.sent), [s.lease_left for s in smtp.sent]
    # What the first claim could not start in time went back at once, not when its lease ran out.
    first_lease_ends = smtp.sent[0].at + smtp.sent[0].lease_left
    assert smtp.sent[-1].at < first_lease_ends
    assert await pool.fetchval("SELECT count(*) FROM deliveries WHERE claim IS NOT NULL") == 0


# A worker in a process of its own that dies as its first email goes out: no clean-up runs.
DYING_WORKER = """
import asyncio, os, sys
import asyncpg
from notifications.config import NotificationsSettings
from notifications.bootstrap import build_deps
from notifications.service_layer.sending import send_due

class DiesMidSend:
    async def deliver(self, *args, **kwargs):
        os._exit(3)

async def main():
    settings = NotificationsSettings.model_validate_json(sys.argv[1])
    pool = await asyncpg.create_pool(settings.database_url, min_size=1, max_size=1)
    smtp = DiesMidSend()
    await send_due(build_deps(settings, pool, [smtp]), smtp)

asyncio.run(main())
"""


async def test_a_dead_workers_emails_go_out_once_when_its_lease_ends(pool: asyncpg.Pool, database: str) -> None:
    config = settings_for(database, smtp_timeout_seconds=0.5, send_lease_seconds=2)
    people = await owe(pool, config, 3)
    died = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-c", DYING_WORKER, config.model_dump_json()], check=False
    )
    assert died.returncode == 3
    claimed = await pool.fetch("SELECT next_attempt_at FROM deliveries WHERE status = 'pending' AND claim IS NOT NULL")
    assert len(claimed) == 3  # all three were the dead worker's
    lease_ends = max(r["next_attempt_at"] for r in claimed)

    smtp = RecordingSmtp(pool)
    await run_until(build_deps(config, pool, [smtp]), lambda: len(smtp.sent) >= 3)
    assert sorted(s.recipient for s in smtp.sent) == sorted(people)  # each once
    assert all(s.at >= lease_ends for s in smtp.sent)  # none while the dead worker's claim held


async def test_a_server_that_stops_answering_is_cut_off_and_the_email_retried(
    pool: asyncpg.Pool, database: str
) -> None:
    connections = 0

    async def hangs_after_greeting(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        writer.write(b"220 relay.cit.example ESMTP\r\n")
        await writer.drain()
        await reader.read()  # reads on, answers nothing, until the client hangs up
        writer.close()

    row = await send_to(
        hangs_after_greeting,
        pool,
        database,
        "SELECT attempts >= 2 FROM deliveries",
        smtp_timeout_seconds=0.3,
        send_lease_seconds=1,
    )
    assert row["status"] == "pending"
    assert "Timeout" in row["last_error"]
    assert row["claim"] is None  # released for the retry, not left to its lease
    assert connections >= 2  # each try on a fresh connection: the stuck one was dropped


async def test_a_connection_lost_after_the_data_is_a_failed_attempt_not_a_second_copy_at_once(
    pool: asyncpg.Pool, database: str
) -> None:
    received = 0

    async def drops_after_the_data(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal received
        writer.write(b"220 relay.cit.example ESMTP\r\n")
        while line := await reader.readline():
            command = line[:4].upper()
            if command == b"DATA":
                writer.write(b"354 go ahead\r\n")
                await reader.readuntil(b"\r\n.\r\n")
                received += 1
                break  # the message is in, and the line goes before the answer
            writer.write(b"250-relay.cit.example\r\n250 OK\r\n" if command in (b"EHLO", b"HELO") else b"250 OK\r\n")
        writer.close()

    row = await send_to(
        drops_after_the_data,
        pool,
        database,
        "SELECT status = 'failed' FROM deliveries",
        smtp_timeout_seconds=2,
        send_lease_seconds=6,
    )
    assert row["attempts"] == 5  # SEND_MAX_ATTEMPTS
    assert "Disconnected" in row["last_error"]
    assert received == 5  # one copy per attempt, each after its backoff: none sent again blindly

"""Limits that protect money and capacity hold across every instance of a service (property 27),
and only the configured proxy may say who a client is (X-Forwarded-For).

Each test runs two processes of one service on one database, as two instances (or two HTTP
workers) would be deployed, and counts what gets through both together."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from uuid import uuid4

import asyncpg
import httpx
import pytest

from notifications.bootstrap import build_deps
from notifications.config import NotificationsSettings
from notifications.service_layer import intake
from tests.support.kafka_server import KafkaServer
from tests.support.samples import sample_events
from tests.support.services import ServiceProcess, env_file
from tests.support.smtp import SmtpServer, free_port
from tests.support.stack import kafka_bootstrap, stripe_api_base
from tests.support.waiting import wait_until

LIMIT = 4  # per client and minute


def instance(service: str, log_dir: Path, settings: dict[str, str]) -> ServiceProcess:
    """One more process of `service`, on a port of its own, with these settings over the stack's."""
    log_dir.mkdir()
    return ServiceProcess(service, env_file(service) | {"HTTP_PORT": str(free_port())} | settings, log_dir / "log")


@pytest.fixture
def two_memberships(database: str, tmp_path: Path) -> Iterator[tuple[ServiceProcess, ServiceProcess]]:
    settings = {
        "DATABASE_URL": database,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap(),
        "STRIPE_API_BASE": stripe_api_base(),
        "RATE_LIMIT_PER_MINUTE": str(LIMIT),
        "FORWARDED_ALLOW_IPS": "127.0.0.1",  # the proxy, as in deploy/env
    }
    first, second = (instance("membership", tmp_path / name, settings) for name in ("first", "second"))
    for process in (first, second):
        process.start()
    yield first, second
    for process in (first, second):
        process.stop()


def sign_in(url: str, from_address: str = "127.0.0.1", forwarded_for: str | None = None) -> int:
    """One sign-in request on a connection of its own, from `from_address` (any of 127/8 is this host)."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    transport = httpx.HTTPTransport(local_address=from_address)
    with httpx.Client(base_url=url, transport=transport, timeout=30) as client:
        answer = client.post("/sign-in", json={"email": f"nobody-{uuid4().hex[:8]}@example.org"}, headers=headers)
        return answer.status_code


def test_two_instances_together_allow_one_limit(two_memberships: tuple[ServiceProcess, ServiceProcess]) -> None:
    first, second = two_memberships
    answers = [sign_in((first, second)[n % 2].url) for n in range(3 * LIMIT)]
    assert answers == [202] * LIMIT + [429] * (2 * LIMIT)


def test_a_client_not_the_proxy_cannot_choose_its_address(
    two_memberships: tuple[ServiceProcess, ServiceProcess],
) -> None:
    first, _ = two_memberships
    # 127.0.0.2 is not in FORWARDED_ALLOW_IPS: a new X-Forwarded-For each time changes nothing.
    answers = [sign_in(first.url, "127.0.0.2", forwarded_for=f"203.0.113.{n}") for n in range(LIMIT + 2)]
    assert answers == [202] * LIMIT + [429] * 2


def test_the_proxy_says_who_each_visitor_is(two_memberships: tuple[ServiceProcess, ServiceProcess]) -> None:
    first, second = two_memberships
    # From the proxy's address, each visitor is counted as itself: many visitors, none limited...
    visitors = [sign_in(first.url, forwarded_for=f"198.51.100.{n}") for n in range(2 * LIMIT)]
    assert visitors == [202] * (2 * LIMIT)
    # ...and one visitor is limited as itself, across both instances.
    one = [sign_in((first, second)[n % 2].url, forwarded_for="192.0.2.7") for n in range(LIMIT + 1)]
    assert one == [202] * LIMIT + [429]


# ---- the send cap (N6) ----------------------------------------------------------------------------

SEND_RATE = 4  # emails per second, across both instances
EMAILS = 40


@pytest.fixture
async def own_kafka() -> AsyncIterator[KafkaServer]:
    """A broker of the test's own: two notifications processes on the shared one would join the
    stack's consumer group and take its events."""
    kafka = KafkaServer()
    await kafka.start()
    yield kafka
    await kafka.remove()


async def test_two_notifications_instances_together_send_at_the_cap(
    database: str, own_kafka: KafkaServer, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    settings = {
        "DATABASE_URL": database,
        "KAFKA_BOOTSTRAP_SERVERS": own_kafka.bootstrap,
        "SMTP_PORT": str(smtp_server.port),
        "SEND_RATE_PER_SECOND": str(SEND_RATE),
    }
    instances = [instance("notifications", tmp_path / name, settings) for name in ("first", "second")]
    for process in instances:
        process.start()
    pool = await asyncpg.create_pool(database, min_size=1, max_size=2)
    try:
        # Emails owed, written as the consumer writes them; both instances' senders wake for them.
        config = NotificationsSettings.model_validate(
            {k.lower(): v for k, v in (env_file("notifications") | settings).items()}
        )
        deps = build_deps(config, pool, smtp=[])
        people = {f"cap-{uuid4().hex[:8]}@example.org" for _ in range(EMAILS)}
        for person in people:
            await intake.take_in(deps, sample_events(person)["conference.checked_in"])
        await wait_until(lambda: len(smtp_server.mailbox.arrived(people)) == EMAILS, seconds=120)
    finally:
        await pool.close()
        for process in instances:
            await asyncio.to_thread(process.stop)
    arrived = smtp_server.mailbox.arrived(people)
    # Counted, not timed: no two seconds of arrivals hold more than two seconds' worth of slots
    # (one more for the slot at each end). Two instances with a cap each sent twice that.
    busiest = max(sum(1 for t in arrived if start <= t < start + 2) for start in arrived)
    assert busiest <= 2 * SEND_RATE + 1, f"{busiest} emails in two seconds at a cap of {SEND_RATE}/s"

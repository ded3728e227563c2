"""One delivery per fact, sent once, against real Postgres and a real SMTP server."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import uuid4

import asyncpg
import pytest

from convene_contracts.membership import SignInRequested, SignInRequestedPayload
from convene_delivery.migrations import migrate, sources_for
from notifications.adapters.smtp import SmtpSender
from notifications.adapters.templates import Renderer
from notifications.bootstrap import SPEC
from notifications.config import NotificationsSettings
from notifications.service_layer import handlers
from notifications.service_layer.deliveries import send_overdue
from tests.support.events import activated
from tests.support.smtp import SmtpServer


@pytest.fixture
async def deps(database: str, smtp_server: SmtpServer) -> AsyncIterator[handlers.Dependencies]:
    conn = await asyncpg.connect(database)
    await migrate(conn, sources_for("notifications", SPEC.migrations))
    await conn.close()
    settings = NotificationsSettings(
        database_url=database, kafka_bootstrap_servers="unused:9092", operator_token_sha256="0" * 64,
        smtp_host="127.0.0.1", smtp_port=smtp_server.port, smtp_from="no-reply@cit.example",
        association_name="CIT International",
    )  # fmt: skip
    pool = await asyncpg.create_pool(database, min_size=1, max_size=4)
    yield handlers.Dependencies(pool, Renderer(settings.association_name), SmtpSender(settings))
    await pool.close()


async def test_an_activation_sends_one_welcome_email(deps: handlers.Dependencies, smtp_server: SmtpServer) -> None:
    event = activated(email="welcome-1@example.org", level_name="Agency")
    await handlers.membership_activated(deps, event)
    [message] = smtp_server.mailbox.to("welcome-1@example.org")
    assert message["Subject"] == "Welcome to CIT International: your Agency membership is active"
    assert message["From"] == "CIT International <no-reply@cit.example>"
    assert message.get_body(("plain",)) is not None
    assert message.get_body(("html",)) is not None
    assert await deps.pool.fetchval("SELECT status FROM deliveries") == "sent"


async def test_the_same_event_three_times_sends_one_email(deps: handlers.Dependencies, smtp_server: SmtpServer) -> None:
    event = activated(email="thrice@example.org")
    for _ in range(3):
        await handlers.membership_activated(deps, event)
    assert len(smtp_server.mailbox.to("thrice@example.org")) == 1
    assert await deps.pool.fetchval("SELECT count(*) FROM deliveries") == 1


async def test_an_email_the_server_refused_stays_owed_and_the_sweeper_sends_it(
    deps: handlers.Dependencies, smtp_server: SmtpServer
) -> None:
    smtp_server.mailbox.refusals.append("451 4.3.0 try again later")
    event = activated(email="later@example.org")
    await handlers.membership_activated(deps, event)
    assert smtp_server.mailbox.to("later@example.org") == []
    assert await deps.pool.fetchval("SELECT status FROM deliveries") == "pending"

    assert await send_overdue(deps.pool, deps.sender, older_than_seconds=0) == 1
    assert len(smtp_server.mailbox.to("later@example.org")) == 1
    assert await send_overdue(deps.pool, deps.sender, older_than_seconds=0) == 0
    assert len(smtp_server.mailbox.to("later@example.org")) == 1


async def test_a_sign_in_request_emails_the_link_once(deps: handlers.Dependencies, smtp_server: SmtpServer) -> None:
    event = SignInRequested(producer="membership", correlation_id=uuid4(), payload=SignInRequestedPayload(
        member_id=uuid4(), email="signin@example.org", member_name="Ada", sign_in_url="https://m.example/sign-in/tok3n",
        expires_at=datetime(2026, 11, 27, 10, 15, tzinfo=UTC)))  # fmt: skip
    await handlers.sign_in_requested(deps, event)
    await handlers.sign_in_requested(deps, event)
    [message] = smtp_server.mailbox.to("signin@example.org")
    assert message["Subject"] == "Your sign-in link for CIT International"
    html = message.get_body(("html",))
    assert html is not None
    assert 'href="https://m.example/sign-in/tok3n"' in html.get_content()
    assert "10:15 UTC on 27 November 2026" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]

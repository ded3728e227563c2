"""SMTP over STARTTLS and implicit TLS, with authentication, against real aiosmtpd servers that
hold a certificate from a private CA (trustme): the email goes through an encrypted, logged-in
session, a wrong password or an untrusted certificate sends nothing, and the sender's
configured cap (N6) spaces every email it sends (on a manual clock: no timing in tests)."""

import ssl
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any
from uuid import uuid4

import aiosmtplib
import asyncpg
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from convene_delivery.migrations import migrate, sources_for
from notifications.adapters.smtp import SmtpConnection
from notifications.bootstrap import SPEC, build_deps
from notifications.config import NotificationsSettings
from notifications.domain.attachments import Attachment
from notifications.domain.email import RenderedEmail
from notifications.service_layer import intake
from notifications.service_layer.send_rate import SendRate
from notifications.service_layer.sending import send_due
from tests.support.samples import sample_events
from tests.support.smtp import free_port

# The implicit-TLS relay logs in without STARTTLS, which aiosmtpd warns about; the session is TLS.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

LOGIN, PASSWORD = b"convene", b"relay-password-0123"


@dataclass
class Received:
    recipient: str
    tls_version: str | None
    login: bytes | None


@dataclass
class RecordingRelay:
    """Records each accepted message with the session's TLS version and login."""

    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        tls = server.transport.get_extra_info("ssl_object")
        login = session.auth_data.login if session.authenticated else None
        for recipient in envelope.rcpt_tos:
            self.received.append(Received(recipient, tls.version() if tls else None, login))
        return "250 Message accepted"


def check_password(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (LOGIN, PASSWORD)
    return AuthResult(success=ok, handled=False, auth_data=auth_data)  # unhandled: aiosmtpd answers 535


@dataclass
class Relay:
    port: int
    ca_file: Path
    handler: RecordingRelay


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def ca_file(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("smtp-ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


def server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return context


def start(handler: RecordingRelay, **options: Any) -> Iterator[int]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, authenticator=check_password, **options)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def starttls_relay(ca: trustme.CA, ca_file: Path) -> Iterator[Relay]:
    """A submission server (port 587 style): STARTTLS and login required before any mail."""
    handler = RecordingRelay()
    options = {"tls_context": server_context(ca), "require_starttls": True, "auth_required": True}
    for port in start(handler, **options):
        yield Relay(port, ca_file, handler)


@pytest.fixture
def implicit_tls_relay(ca: trustme.CA, ca_file: Path) -> Iterator[Relay]:
    """A server speaking TLS from the first byte (port 465 style), login required."""
    handler = RecordingRelay()
    # aiosmtpd counts only STARTTLS as TLS for AUTH; here the whole session is TLS from the start.
    for port in start(handler, ssl_context=server_context(ca), auth_required=True, auth_require_tls=False):
        yield Relay(port, ca_file, handler)


def settings(relay: Relay, **overrides: Any) -> NotificationsSettings:
    values: dict[str, Any] = {
        "database_url": "postgresql://unused",
        "kafka_bootstrap_servers": "unused:9092",
        "operator_token_sha256": "0" * 64,
        "smtp_host": "127.0.0.1",
        "smtp_port": relay.port,
        "smtp_from": "no-reply@cit.example",
        "association_name": "CIT International",
        "unsubscribe_secret": "u" * 32,
        "smtp_username": LOGIN.decode(),
        "smtp_password": PASSWORD.decode(),
        "smtp_ca_file": relay.ca_file,
        "session_secret": "s" * 32,
    }
    return NotificationsSettings(**(values | overrides))


def receipt() -> RenderedEmail:
    to = f"p-{uuid4().hex[:10]}@example.org"
    return RenderedEmail("membership.renewed", to, "Your membership is renewed", "Thank you.", "<p>Thank you.</p>")


async def send(connection: SmtpConnection, email: RenderedEmail) -> None:
    try:
        await connection.send(email, f"<{uuid4()}@convene>", {})
    finally:
        await connection.close()


async def test_starttls_with_login_delivers_over_an_encrypted_authenticated_session(starttls_relay: Relay) -> None:
    email = receipt()
    await send(SmtpConnection(settings(starttls_relay, smtp_starttls=True)), email)
    [received] = starttls_relay.handler.received
    assert received.recipient == email.recipient
    assert received.tls_version in {"TLSv1.2", "TLSv1.3"}
    assert received.login == LOGIN


async def test_implicit_tls_with_login_delivers_over_an_encrypted_authenticated_session(
    implicit_tls_relay: Relay,
) -> None:
    email = receipt()
    await send(SmtpConnection(settings(implicit_tls_relay, smtp_implicit_tls=True)), email)
    [received] = implicit_tls_relay.handler.received
    assert received.recipient == email.recipient
    assert received.tls_version in {"TLSv1.2", "TLSv1.3"}
    assert received.login == LOGIN


async def test_a_wrong_password_is_a_permanent_refusal_and_sends_nothing(starttls_relay: Relay) -> None:
    connection = SmtpConnection(settings(starttls_relay, smtp_starttls=True, smtp_password="not-the-password"))
    with pytest.raises(aiosmtplib.SMTPAuthenticationError) as refused:
        await send(connection, receipt())
    assert refused.value.code == 535  # 5xx: the sender fails the delivery instead of retrying
    assert starttls_relay.handler.received == []


async def test_a_certificate_from_an_untrusted_ca_is_refused_before_login(implicit_tls_relay: Relay) -> None:
    connection = SmtpConnection(settings(implicit_tls_relay, smtp_implicit_tls=True, smtp_ca_file=None))
    with pytest.raises(aiosmtplib.SMTPConnectError) as refused:
        await send(connection, receipt())
    assert "CERTIFICATE_VERIFY_FAILED" in str(refused.value)
    assert implicit_tls_relay.handler.received == []


async def test_a_relay_that_requires_starttls_gets_nothing_in_clear_text(starttls_relay: Relay) -> None:
    connection = SmtpConnection(settings(starttls_relay, smtp_username=None))
    with pytest.raises(aiosmtplib.SMTPResponseException) as refused:
        await send(connection, receipt())
    assert refused.value.code == 530
    assert starttls_relay.handler.received == []


class ManualClock:
    """A clock that moves only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


async def test_the_send_rate_spaces_emails_by_its_interval() -> None:
    clock = ManualClock()
    rate = SendRate(4, clock=clock, sleep=clock.sleep)
    sent_at = []
    for _ in range(9):
        await rate.wait()
        sent_at.append(clock.now)
    assert [round(b - a, 6) for a, b in pairwise(sent_at)] == [0.25] * 8


async def test_the_send_rate_does_not_hold_back_a_sender_that_is_already_slower() -> None:
    clock = ManualClock()
    rate = SendRate(4, clock=clock, sleep=clock.sleep)
    await rate.wait()
    clock.now += 1.0  # the next email comes a second later: no wait on top of that
    await rate.wait()
    assert clock.now == 1001.0


class RecordingSmtp:
    """Stands in for the SMTP connection to note when, on the manual clock, each email left."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock, self.sent_at = clock, list[float]()

    async def deliver(
        self, email: RenderedEmail, message_id: str, headers: dict[str, str], attachments: Sequence[Attachment] = ()
    ) -> None:
        self.sent_at.append(self.clock.now)


async def test_the_sender_waits_for_the_cap_before_each_email(database: str) -> None:
    clock = ManualClock()
    config = settings(Relay(1, Path("unused"), RecordingRelay()), database_url=database, send_rate_per_second=2)
    pool = await asyncpg.create_pool(database, min_size=1, max_size=2)
    try:
        async with pool.acquire() as conn:
            await migrate(conn, sources_for("notifications", SPEC.migrations))
        deps = build_deps(config, pool)
        for n in range(5):
            await intake.take_in(
                deps, sample_events(f"rate-{n}-{uuid4().hex[:6]}@example.org")["conference.checked_in"]
            )
        smtp = RecordingSmtp(clock)
        sender = build_deps(config, pool, [smtp], rate=SendRate(2, clock=clock, sleep=clock.sleep))
        while await send_due(sender, smtp):
            pass
    finally:
        await pool.close()
    assert [t - 1000.0 for t in smtp.sent_at] == [0.0, 0.5, 1.0, 1.5, 2.0]

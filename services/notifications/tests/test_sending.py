"""Exactly one email per fact (N2), retries and failures, the delivery log (N3), unsubscribe
(N4) and erasure, on real Postgres, Kafka and a recording SMTP server."""

import asyncio
import base64
import hashlib
from collections.abc import AsyncIterator
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import uuid4

import httpx
import pytest

from convene_contracts import NOTIFICATIONS, Event, RawEvent
from convene_contracts.membership import MemberErased, MemberErasedPayload
from convene_service.spec import Runtime
from notifications.adapters.smtp import SmtpConnection
from notifications.bootstrap import SPEC, build_deps
from notifications.config import NotificationsSettings
from notifications.entrypoints.jobs import send_emails
from notifications.service_layer import intake
from notifications.service_layer.deps import Deps
from tests.support.apps import running_app
from tests.support.kafka import read_topic
from tests.support.samples import NOW, sample_events
from tests.support.smtp import SmtpServer
from tests.support.stack import kafka_bootstrap
from tests.support.staff import bearer
from tests.support.waiting import wait_until

OPERATOR = bearer("test-session-secret-0123456789-0123456789")  # the tests' owner (tests.support.staff)


def settings_for(database: str, smtp: SmtpServer, **overrides: Any) -> NotificationsSettings:
    values: dict[str, Any] = {
        "database_url": database,
        "kafka_bootstrap_servers": kafka_bootstrap(),
        "operator_token_sha256": hashlib.sha256(b"test-operator-token-0123456789").hexdigest(),
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp.port,
        "smtp_from": "no-reply@cit.example",
        "association_name": "CIT International",
        "unsubscribe_secret": "u" * 32,
        "send_backoff_seconds": 0.05,
        "sender_poll_seconds": 0.1,
        "send_rate_per_second": 1000,
        "outbox_poll_seconds": 0.2,
        "public_base_url": "https://mail.cit.example",
        "session_secret": "test-session-secret-0123456789-0123456789",
    }
    return NotificationsSettings(**(values | overrides))


class Service:
    def __init__(self, client: httpx.AsyncClient, runtime: Runtime, smtp: SmtpServer) -> None:
        self.client, self.runtime, self.smtp = client, runtime, smtp
        self.deps: Deps = runtime.deps_as(Deps)

    async def emails_to(self, recipient: str, count: int = 1) -> list[Any]:
        return await asyncio.to_thread(self.smtp.mailbox.wait_for, recipient, count, 20)

    async def delivery(self, recipient: str) -> dict[str, Any]:
        row = await self.runtime.pool.fetchrow("SELECT * FROM deliveries WHERE recipient = $1", recipient)
        assert row is not None
        return dict(row)


@pytest.fixture
async def service(database: str, smtp_server: SmtpServer) -> AsyncIterator[Service]:
    async with running_app(SPEC, settings_for(database, smtp_server)) as (client, runtime):
        yield Service(client, runtime, smtp_server)


def event(event_type: str, email: str) -> Event:
    return sample_events(email)[event_type]


def address() -> str:
    return f"p-{uuid4().hex[:10]}@example.org"


async def test_the_same_event_three_times_sends_one_email(service: Service) -> None:
    to = address()
    receipt = event("membership.renewed", to)
    for _ in range(3):
        await intake.take_in(service.deps, receipt)
    [message] = await service.emails_to(to)
    assert message["Subject"] == "Your Individual membership is renewed until 27 November 2027"
    await asyncio.sleep(0.5)
    assert len(service.smtp.mailbox.to(to)) == 1


async def test_two_4xx_refusals_then_acceptance_send_one_email_after_three_attempts(service: Service) -> None:
    to = address()
    service.smtp.mailbox.refuse(to, "451 4.3.0 try later", "452 4.3.1 mailbox busy")
    await intake.take_in(service.deps, event("membership.activated", to))
    await service.emails_to(to)
    await wait_until(lambda: len(service.smtp.mailbox.to(to)) == 1)

    async def sent() -> bool:  # the server accepts just before the sender commits "sent"
        return bool((await service.delivery(to))["status"] == "sent")

    await wait_until(sent)
    delivery = await service.delivery(to)
    assert (delivery["status"], delivery["attempts"]) == ("sent", 3)
    assert len(service.smtp.mailbox.to(to)) == 1


async def test_a_5xx_refusal_fails_at_once_and_announces_it(service: Service) -> None:
    to = address()
    service.smtp.mailbox.refuse(to, "550 5.1.1 no such user")
    source = event("conference.waitlist_joined", to)
    await intake.take_in(service.deps, source)

    async def failed() -> bool:
        return bool((await service.delivery(to))["status"] == "failed")

    await wait_until(failed)
    delivery = await service.delivery(to)
    assert delivery["attempts"] == 1
    assert delivery["last_error"].startswith("550")
    found = [RawEvent.model_validate_json(r.value) for r in await read_topic(NOTIFICATIONS, at_least=10**6, seconds=3)]
    [announced] = [e for e in found if e.event_type == "notification.failed" and e.causation_id == source.event_id]
    assert announced.payload["permanent"] is True
    await asyncio.sleep(0.5)
    assert (await service.delivery(to))["attempts"] == 1  # no more tries
    assert service.smtp.mailbox.to(to) == []


async def test_a_failed_email_is_in_the_log_and_an_operator_resends_it(service: Service) -> None:
    to = address()
    service.smtp.mailbox.refuse(to, "554 5.7.1 rejected")
    await intake.take_in(service.deps, event("membership.lapsed", to))

    async def listed() -> list[dict[str, Any]]:
        answer = await service.client.get("/deliveries", params={"recipient": to, "status": "failed"}, headers=OPERATOR)
        rows: list[dict[str, Any]] = answer.json()
        return rows

    await wait_until(lambda: _nonempty(listed()))
    [row] = await listed()
    assert row["event_type"] == "membership.lapsed"
    resent = await service.client.post(f"/deliveries/{row['id']}/resend", headers=OPERATOR)
    assert resent.status_code == 202
    [message] = await service.emails_to(to)
    assert message["Subject"] == "Your Individual membership has lapsed"
    assert (await service.client.get("/deliveries", headers={})).status_code == 401


async def _nonempty(rows: Any) -> bool:
    return bool(await rows)


async def test_reminders_carry_a_signed_one_click_unsubscribe_and_honour_it(service: Service) -> None:
    to = address()
    await intake.take_in(service.deps, event("membership.expiring_soon", to))
    [reminder] = await service.emails_to(to)
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = reminder["List-Unsubscribe"].strip("<>")
    query = parse_qs(urlsplit(url).query)
    assert url.startswith("https://mail.cit.example/unsubscribe?")  # one-click: the API, posted by mail clients
    page = f"{service.deps.settings.notifications_pages_url}/mail/unsubscribe?{urlsplit(url).query}"
    assert page in reminder.get_body(("plain",)).get_content()  # the footer: the page that asks first

    tampered = await service.client.post("/unsubscribe", params={"email": f"x{to}", "sig": query["sig"][0]})
    assert tampered.status_code == 400
    done = await service.client.post("/unsubscribe", params={"email": query["email"][0], "sig": query["sig"][0]})
    assert done.status_code == 200
    again = await service.client.post("/unsubscribe", params={"email": query["email"][0], "sig": query["sig"][0]})
    assert again.status_code == 409

    await intake.take_in(service.deps, event("membership.in_grace", to))  # a reminder: not sent any more
    await intake.take_in(service.deps, event("membership.renewed", to))  # a receipt: always sent
    [_, receipt] = await service.emails_to(to, 2)
    assert receipt["Subject"].startswith("Your Individual membership is renewed")
    assert "List-Unsubscribe" not in receipt
    await asyncio.sleep(0.5)
    assert len(service.smtp.mailbox.to(to)) == 2


async def test_erasure_leaves_no_address_or_name_in_the_delivery_log(service: Service) -> None:
    to = address()
    joined = event("membership.activated", to)
    await intake.take_in(service.deps, joined)
    await service.emails_to(to)
    member_id = joined.payload.member_id  # type: ignore[attr-defined]
    erased = MemberErasedPayload(member_id=member_id, erased_at=NOW)
    await intake.take_in(service.deps, MemberErased(producer="membership", correlation_id=uuid4(), payload=erased))
    rows = await service.runtime.pool.fetch("SELECT d::text AS row FROM deliveries d")
    assert rows
    for row in rows:
        assert to not in row["row"]
        assert "Lovelace" not in row["row"]


async def test_an_email_still_owed_when_its_person_is_erased_is_never_sent(
    database: str, smtp_server: SmtpServer
) -> None:
    async with running_app(SPEC, settings_for(database, smtp_server, send_max_attempts=50)) as (client, runtime):
        service = Service(client, runtime, smtp_server)
        to = address()
        smtp_server.mailbox.hold(to)  # the server answers 4xx: the email stays owed, retried
        joined = event("membership.activated", to)
        await intake.take_in(service.deps, joined)

        async def tried() -> bool:
            return bool((await service.delivery(to))["attempts"] >= 1)

        await wait_until(tried)
        member_id = joined.payload.member_id  # type: ignore[attr-defined]
        erased = MemberErasedPayload(member_id=member_id, erased_at=NOW)
        await intake.take_in(service.deps, MemberErased(producer="membership", correlation_id=uuid4(), payload=erased))
        smtp_server.mailbox.release(to)
        await asyncio.sleep(1)  # retries come every fraction of a second here
        row = await runtime.pool.fetchrow(
            "SELECT status, last_error FROM deliveries WHERE event_id = $1", joined.event_id
        )
        assert row is not None
        assert (row["status"], row["last_error"]) == ("failed", "erased before it was sent")
        assert smtp_server.mailbox.to(to) == []
        assert smtp_server.mailbox.to("erased") == []


async def test_two_senders_on_one_database_never_send_the_same_email_twice(
    service: Service, database: str, smtp_server: SmtpServer
) -> None:
    other = build_deps(
        settings_for(database, smtp_server),
        service.runtime.pool,
        [SmtpConnection(settings_for(database, smtp_server)) for _ in range(4)],
    )
    running = asyncio.create_task(send_emails(other))
    try:
        people = [address() for _ in range(40)]
        for person in people:
            await intake.take_in(service.deps, event("conference.checked_in", person))
        await wait_until(lambda: all(service.smtp.mailbox.to(p) for p in people), seconds=30)
        await asyncio.sleep(0.5)
        assert [len(service.smtp.mailbox.to(p)) for p in people] == [1] * 40
    finally:
        running.cancel()


async def test_a_ticket_email_carries_the_qr_inline_and_a_calendar_invite(service: Service) -> None:
    to = address()
    confirmed = event("conference.registration_confirmed", to)
    payload = confirmed.payload.model_copy(
        update={"starts_on": date(2027, 8, 16), "ends_on": date(2027, 8, 19), "venue": "Chicago, IL"}
    )
    await intake.take_in(service.deps, confirmed.model_copy(update={"payload": payload}))
    [message] = await service.emails_to(to)
    html = message.get_body(("html",))
    assert html is not None
    assert 'src="cid:ticket-qr"' in html.get_content()
    parts = {part.get_filename(): part for part in message.walk() if part.get_filename()}
    assert parts["ticket.png"]["Content-ID"] == "<ticket-qr>"
    assert parts["ticket.png"].get_content().startswith(b"\x89PNG")
    invite = parts["conference.ics"].get_content()
    invite = invite.decode() if isinstance(invite, bytes) else invite
    assert "DTSTART;VALUE=DATE:20270816" in invite
    assert "DTEND;VALUE=DATE:20270820" in invite  # the day after the last: DTEND is exclusive
    assert "LOCATION:Chicago\\, IL" in invite


async def test_the_certificate_email_carries_the_pdf(service: Service) -> None:
    to = address()
    issued = event("conference.certificate_issued", to)
    pdf = b"%PDF-1.3\n% a certificate\n"
    payload = issued.payload.model_copy(update={"certificate_pdf_base64": base64.b64encode(pdf).decode()})
    await intake.take_in(service.deps, issued.model_copy(update={"payload": payload}))
    [message] = await service.emails_to(to)
    [attached] = [part for part in message.walk() if part.get_filename() == "certificate.pdf"]
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_content() == pdf

"""The delivery log page (N3) at the HTTP level: found by recipient, event, status and day; a
resend sends the email again; bad filters are named beside their field; CSRF; operators only."""

import asyncio
import hashlib
import re
import time
from collections.abc import AsyncIterator
from typing import Any
from uuid import uuid4

import httpx
import pytest

from convene_service.spec import Runtime
from convene_web.sessions import SESSION_COOKIE, Session, signed
from notifications.bootstrap import SPEC
from notifications.config import NotificationsSettings
from notifications.service_layer import intake
from notifications.service_layer.deps import Deps
from tests.support.apps import running_app
from tests.support.samples import sample_events
from tests.support.smtp import SmtpServer
from tests.support.stack import kafka_bootstrap
from tests.support.staff import staff_cookie
from tests.support.waiting import wait_until

LOG = "/mail/operator/deliveries"


def settings_for(database: str, smtp: SmtpServer) -> NotificationsSettings:
    return NotificationsSettings(
        database_url=database,
        kafka_bootstrap_servers=kafka_bootstrap(),
        operator_token_sha256=hashlib.sha256(b"test-operator-token-0123456789").hexdigest(),
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_from="no-reply@cit.example",
        association_name="CIT International",
        unsubscribe_secret="u" * 32,
        send_backoff_seconds=0.05,
        sender_poll_seconds=0.1,
        send_rate_per_second=1000,
        outbox_poll_seconds=0.2,
        session_secret="test-session-secret-0123456789-0123456789",
        cookie_secure=False,
    )


class Mail:
    def __init__(self, client: httpx.AsyncClient, runtime: Runtime, smtp: SmtpServer) -> None:
        self.client, self.runtime, self.smtp = client, runtime, smtp
        self.deps: Deps = runtime.deps_as(Deps)

    def sign_in_as(self, kind: str) -> None:
        settings = self.deps.settings
        if kind == "operator":
            self.client.cookies.set(SESSION_COOKIE, staff_cookie(settings))
            return
        member = (uuid4(), "pat@example.org")
        session = Session(kind, member[0], member[1], int(time.time()) + 3600)  # type: ignore[arg-type]
        self.client.cookies.set(SESSION_COOKIE, signed(settings, session))

    async def sent_to(self, recipient: str, count: int = 1) -> list[Any]:
        """The emails the SMTP server received, once the sender has also recorded them as sent:
        the server's acceptance comes a moment before the sender's commit."""
        received = await asyncio.to_thread(self.smtp.mailbox.wait_for, recipient, count, 20)

        async def recorded() -> bool:
            sent = await self.runtime.pool.fetchval(
                "SELECT count(*) FROM deliveries WHERE recipient = $1 AND status = 'sent'", recipient
            )
            return bool(sent >= 1)

        await wait_until(recorded)
        return received


@pytest.fixture
async def mail(database: str, smtp_server: SmtpServer) -> AsyncIterator[Mail]:
    async with running_app(SPEC, settings_for(database, smtp_server)) as (client, runtime):
        yield Mail(client, runtime, smtp_server)


def address() -> str:
    return f"p-{uuid4().hex[:10]}@example.org"


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert found, "no CSRF field"
    return found[1]


async def test_an_operator_finds_an_email_and_sends_it_again(mail: Mail) -> None:
    ada, bob = address(), address()
    await intake.take_in(mail.deps, sample_events(ada)["membership.renewed"])
    await intake.take_in(mail.deps, sample_events(bob)["conference.waitlist_joined"])
    await mail.sent_to(ada)
    await mail.sent_to(bob)
    mail.sign_in_as("operator")

    assert (await mail.client.get("/mail/operator")).headers["location"] == LOG
    by_part = await mail.client.get(LOG, params={"recipient": ada.split("@")[0].upper()})
    assert by_part.status_code == 200
    assert ada in by_part.text
    assert bob not in by_part.text
    by_event = (await mail.client.get(LOG, params={"event_type": "conference.waitlist_joined"})).text
    assert bob in by_event
    assert ada not in by_event
    today = time.strftime("%Y-%m-%d", time.gmtime())
    sent_today = (await mail.client.get(LOG, params={"status": "sent", "since": today, "until": today})).text
    assert ada in sent_today
    assert bob in sent_today
    assert "No email matches" in (await mail.client.get(LOG, params={"status": "failed", "recipient": ada})).text

    [delivery_id] = re.findall(r'action="/mail/operator/deliveries/([0-9a-f-]+)/resend"', by_part.text)
    resent = await mail.client.post(
        f"{LOG}/{delivery_id}/resend", data={"csrf_token": csrf_of(by_part), "recipient": ada.split("@")[0]}
    )
    assert resent.status_code == 303
    assert resent.headers["location"].startswith(f"{LOG}?recipient=p-")
    [_, again] = await mail.sent_to(ada, 2)
    assert again["Subject"].startswith("Your Individual membership is renewed")
    notice = await mail.client.get(resent.headers["location"])
    assert f"The email to {ada} is queued to be sent again" in notice.text

    async def sent_again() -> bool:
        return bool(
            await mail.runtime.pool.fetchval("SELECT status = 'sent' FROM deliveries WHERE id::text = $1", delivery_id)
        )

    await wait_until(sent_again)


async def test_bad_filters_are_named_beside_their_field_with_400(mail: Mail) -> None:
    mail.sign_in_as("operator")
    answer = await mail.client.get(
        LOG, params={"since": "yesterday", "event_type": "membership.bogus", "recipient": "ada"}
    )
    assert answer.status_code == 400
    assert re.search(r'id="f-since-error">.*Enter a date', answer.text)
    assert re.search(r'id="f-event_type-error">.*Choose an event from the list', answer.text)
    assert 'value="ada"' in answer.text
    backwards = await mail.client.get(LOG, params={"since": "2026-11-27", "until": "2026-11-26"})
    assert backwards.status_code == 400
    assert "The last day cannot be before the first day" in backwards.text


async def test_a_resend_without_the_csrf_pair_or_by_a_member_sends_nothing(mail: Mail) -> None:
    to = address()
    await intake.take_in(mail.deps, sample_events(to)["membership.lapsed"])
    await mail.sent_to(to)
    delivery_id = await mail.runtime.pool.fetchval("SELECT id FROM deliveries WHERE recipient = $1", to)
    mail.sign_in_as("operator")
    page = await mail.client.get(LOG)
    refused = await mail.client.post(f"{LOG}/{delivery_id}/resend", data={"csrf_token": "f" * 64})
    assert refused.status_code == 403
    assert "Nothing was saved" in refused.text
    unknown = await mail.client.post(f"{LOG}/{uuid4()}/resend", data={"csrf_token": csrf_of(page)})
    assert unknown.status_code == 404

    mail.sign_in_as("member")
    assert (await mail.client.get(LOG)).status_code == 403
    assert (await mail.client.get("/mail/operator")).status_code == 403
    as_member = await mail.client.post(f"{LOG}/{delivery_id}/resend", data={"csrf_token": csrf_of(page)})
    assert as_member.status_code == 403
    assert "Operators only" in as_member.text
    mail.client.cookies.delete(SESSION_COOKIE)
    nobody = await mail.client.get(LOG)
    assert nobody.status_code == 303
    assert nobody.headers["location"] == "/mail/operator/sign-in?next=%2Fmail%2Foperator%2Fdeliveries"

    await asyncio.sleep(0.5)
    assert len(mail.smtp.mailbox.to(to)) == 1  # nothing was sent again

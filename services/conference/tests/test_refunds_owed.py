"""A refund is owed work (C5, C8): committed with the decision, asked of Stripe (stripe-mock,
behind a proxy the test cuts) until Stripe answers, announced, and so emailed (the notifications
service on a real SMTP server), only after Stripe accepted it, once, by however many jobs."""

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit
from uuid import UUID

from conference.service_layer import refunds
from conference.service_layer.payments import release_expired_holds
from notifications.bootstrap import SPEC as NOTIFICATIONS
from notifications.config import NotificationsSettings
from tests.support import stripe as shapes
from tests.support.apps import running_app
from tests.support.databases import create_database, drop_database
from tests.support.proxy import TcpProxy
from tests.support.smtp import SmtpServer
from tests.support.stack import kafka_bootstrap, stripe_api_base
from tests.support.waiting import wait_until

from .conftest import Conference, published, running
from .operator_pages import paid_registration, sign_in_as
from .test_after_registration import token_of

REFUND_ISSUED_ROWS = "SELECT count(*) FROM outbox WHERE event_type = 'conference.refund_issued'"


@asynccontextmanager
async def stripe_behind_a_proxy() -> AsyncIterator[TcpProxy]:
    address = urlsplit(stripe_api_base())
    proxy = TcpProxy(address.hostname or "127.0.0.1", address.port or 80)
    await proxy.start()
    try:
        yield proxy
    finally:
        await proxy.cut()


@asynccontextmanager
async def notifications(smtp: SmtpServer) -> AsyncIterator[None]:
    database = await create_database("n")
    settings = NotificationsSettings(
        database_url=database,
        kafka_bootstrap_servers=kafka_bootstrap(),
        operator_token_sha256=hashlib.sha256(b"unused").hexdigest(),
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
        smtp_from="no-reply@cit.example",
        association_name="CIT International",
        unsubscribe_secret="u" * 32,
        send_backoff_seconds=0.05,
        sender_poll_seconds=0.1,
        outbox_poll_seconds=0.2,
        session_secret="test-session-secret-0123456789-0123456789",
        cookie_secure=False,
    )
    try:
        async with running_app(NOTIFICATIONS, settings):
            yield
    finally:
        await drop_database(database)


def subjects(smtp: SmtpServer, recipient: str) -> list[str]:
    messages: list[EmailMessage] = smtp.mailbox.to(recipient)
    return [str(m["Subject"]) for m in messages]


async def refund_row(conference: Conference, registration_id: str) -> dict[str, object]:
    row = await conference.pool.fetchrow("SELECT * FROM refunds WHERE registration_id = $1", UUID(registration_id))
    assert row is not None
    return dict(row)


async def test_a_cancellation_refund_owed_while_stripe_is_down_is_issued_once_back_and_emailed_after(
    database: str, smtp_server: SmtpServer
) -> None:
    async with (
        stripe_behind_a_proxy() as stripe,
        running(database, stripe_api_base=f"http://127.0.0.1:{stripe.port}") as conference,
        notifications(smtp_server),
    ):
        conference_id = await conference.conference()
        ticket = await conference.ticket_type(conference_id)
        email = "refund-owed@example.org"
        held = await conference.register(conference_id, [ticket], email=email)
        registration_id = str(held.json()["registration_id"])
        assert (await conference.pay(registration_id, 45000)).json()["outcome"] == "confirmed"
        [confirmed] = await published("conference.registration_confirmed", registration_id=registration_id)

        await stripe.cut()
        cancelled = await conference.client.post(
            f"/registrations/{registration_id}/cancel", params={"token": token_of(confirmed.payload["manage_url"])}
        )
        assert cancelled.status_code == 200
        assert cancelled.json() == {"refund_minor": 45000}  # cancelled, the refund owed
        owed = await refund_row(conference, registration_id)
        assert (owed["status"], owed["amount_minor"], owed["attempts"]) == ("owed", 45000, 1)
        assert owed["stripe_refund_id"] is None
        await wait_until(lambda: any("is cancelled" in s for s in subjects(smtp_server, email)))
        assert await conference.pool.fetchval(REFUND_ISSUED_ROWS) == 0
        assert not any(s.startswith("Refund of") for s in subjects(smtp_server, email))
        later = datetime.now(UTC) + timedelta(hours=2)
        assert await refunds.issue_due(conference.deps, later) == 0  # still down: owed still
        assert (await refund_row(conference, registration_id))["status"] == "owed"

        await stripe.restore()
        assert await refunds.issue_due(conference.deps, later + timedelta(hours=2)) == 1
        issued = await refund_row(conference, registration_id)
        assert issued["status"] == "issued"
        assert str(issued["stripe_refund_id"]).startswith("re_")
        await wait_until(lambda: any(s.startswith("Refund of") for s in subjects(smtp_server, email)))
        assert await refunds.issue_due(conference.deps, later + timedelta(hours=9)) == 0
        charge = shapes.charge_refunded(str(issued["payment_intent"]), 45000, 45000)
        assert (await conference.stripe(shapes.event("charge.refunded", charge))).json()["outcome"] == "reconciled"
        assert await conference.pool.fetchval(REFUND_ISSUED_ROWS) == 1  # so one email, not two
        assert len([s for s in subjects(smtp_server, email) if s.startswith("Refund of")]) == 1


async def test_a_late_payment_refund_owed_while_stripe_is_down_is_issued_once_by_two_jobs(database: str) -> None:
    async with (
        stripe_behind_a_proxy() as stripe,
        running(database, stripe_api_base=f"http://127.0.0.1:{stripe.port}") as one,
        running(database, stripe_api_base=f"http://127.0.0.1:{stripe.port}") as other,
    ):
        conference_id = await one.conference()
        ticket = await one.ticket_type(conference_id, capacity=1)
        late_id = str((await one.register(conference_id, [ticket])).json()["registration_id"])
        await release_expired_holds(one.deps, datetime.now(UTC) + timedelta(minutes=16))
        assert (await one.register(conference_id, [ticket])).status_code == 201  # the seat is sold again

        await stripe.cut()
        assert (await one.pay(late_id, 45000)).json()["outcome"] == "refunded"
        assert await one.status(late_id) == "cancelled"
        owed = await refund_row(one, late_id)
        assert (owed["status"], owed["attempts"]) == ("owed", 1)
        assert await one.pool.fetchval("SELECT refunded_minor FROM registrations WHERE id = $1", UUID(late_id)) == 0
        assert await one.pool.fetchval(REFUND_ISSUED_ROWS) == 0

        await stripe.restore()
        later = datetime.now(UTC) + timedelta(hours=2)
        passes = await asyncio.gather(refunds.issue_due(one.deps, later), refunds.issue_due(other.deps, later))
        assert sorted(passes) == [0, 1]
        issued = await refund_row(one, late_id)
        assert (issued["status"], issued["attempts"]) == ("issued", 2)  # asked once more, by one job
        assert await one.pool.fetchval("SELECT refunded_minor FROM registrations WHERE id = $1", UUID(late_id)) == 45000
        [refund] = await published("conference.refund_issued", registration_id=late_id)
        assert refund.payload["refund_minor"] == 45000


async def test_owed_and_failed_refunds_show_on_the_operators_pages(database: str) -> None:
    async with (
        stripe_behind_a_proxy() as stripe,
        running(database, stripe_api_base=f"http://127.0.0.1:{stripe.port}") as conference,
    ):
        conference_id = await conference.conference()
        ticket = await conference.ticket_type(conference_id)
        registration_id, _ = await paid_registration(conference, conference_id, ticket)
        [confirmed] = await published("conference.registration_confirmed", registration_id=registration_id)
        await stripe.cut()
        token = token_of(confirmed.payload["manage_url"])
        cancelled = await conference.client.post(f"/registrations/{registration_id}/cancel", params={"token": token})
        assert cancelled.json() == {"refund_minor": 45000}
        sign_in_as(conference, "operator")

        detail = await conference.client.get(f"/events/operator/registrations/{registration_id}")
        assert detail.status_code == 200
        assert "<dt>Refund owed</dt><dd>450.00 USD: Stripe has not accepted it yet (1 attempt;" in detail.text
        listed = await conference.client.get(f"/events/operator/{conference_id}/registrations")
        assert "Refund owed" in listed.text

        # What the job records when Stripe refuses for good (adapters' FOR_GOOD answers).
        await conference.pool.execute(
            "UPDATE refunds SET status = 'failed', last_error = 'Charge has been charged back'"
            " WHERE registration_id = $1",
            UUID(registration_id),
        )
        detail = await conference.client.get(f"/events/operator/registrations/{registration_id}")
        assert "<dt>Refund failed</dt><dd>450.00 USD: Stripe refused it (Charge has been charged back)" in detail.text
        listed = await conference.client.get(f"/events/operator/{conference_id}/registrations")
        assert "Refund failed" in listed.text

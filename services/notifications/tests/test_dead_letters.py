"""A finally failed email is parked on convene.notifications.v1.dlq (N2), on real Postgres, Kafka
and an SMTP server that refuses: one message per failure, with its origin and error, and the
delivery log still shows the email failed."""

from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import pytest

from convene_contracts import NOTIFICATIONS, RawEvent, dead_letter_topic
from convene_contracts.asyncapi.headers import FAILED_EMAIL
from notifications.bootstrap import SPEC
from notifications.service_layer import intake
from tests.support.apps import running_app
from tests.support.kafka import Record, read_topic
from tests.support.smtp import SmtpServer
from tests.support.waiting import wait_until

from .test_sending import OPERATOR, Service, address, event, settings_for

DEAD_LETTERS = dead_letter_topic(NOTIFICATIONS)


@pytest.fixture
async def service(database: str, smtp_server: SmtpServer) -> AsyncIterator[Service]:
    async with running_app(SPEC, settings_for(database, smtp_server, send_max_attempts=2)) as (client, runtime):
        yield Service(client, runtime, smtp_server)


async def parked_for(service: Service, delivery_id: UUID | str) -> list[Record]:
    """Every message on the dead-letter topic about this delivery, once the relay has published all
    that the outbox holds for it (so Kafka has acknowledged them, and a read from the start sees them)."""

    async def relayed() -> bool:
        waiting = await service.runtime.pool.fetchval(
            "SELECT count(*) FROM outbox WHERE topic = $1 AND published_at IS NULL", DEAD_LETTERS
        )
        return bool(waiting == 0)

    await wait_until(relayed)
    records = await read_topic(DEAD_LETTERS, at_least=10**9, seconds=3)
    return [r for r in records if r.headers.get("x-origin-delivery-id") == str(delivery_id)]


async def failed_in_the_log(service: Service, to: str) -> dict[str, Any]:
    async def listed() -> bool:
        answer = await service.client.get("/deliveries", params={"recipient": to, "status": "failed"}, headers=OPERATOR)
        return bool(answer.json())

    await wait_until(listed)
    answer = await service.client.get("/deliveries", params={"recipient": to}, headers=OPERATOR)
    [row] = answer.json()
    return dict(row)


async def test_a_5xx_parks_the_email_once_with_its_origin_and_error(service: Service) -> None:
    to = address()
    service.smtp.mailbox.refuse(to, "550 5.1.1 no such user")
    source = event("conference.waitlist_joined", to)
    await intake.take_in(service.deps, source)
    logged = await failed_in_the_log(service, to)
    assert logged["status"] == "failed"
    delivery = await service.delivery(to)

    [parked] = await parked_for(service, delivery["id"])
    assert parked.key == str(delivery["id"]).encode()
    assert parked.headers["x-origin-event-id"] == str(source.event_id)
    assert parked.headers["x-origin-event-type"] == "conference.waitlist_joined"
    assert parked.headers["x-origin-template"] == delivery["template"]
    assert parked.headers["x-attempts"] == "1"
    assert parked.headers["x-permanent"] == "true"
    assert parked.headers["x-error"].startswith("550 5.1.1 no such user")
    assert set(parked.headers) == set(FAILED_EMAIL)  # as the AsyncAPI document states them
    body = RawEvent.model_validate_json(parked.value)  # the notification.failed event itself
    assert (body.event_type, body.causation_id) == ("notification.failed", source.event_id)
    assert body.payload["delivery_id"] == str(delivery["id"])
    assert body.payload["error"].startswith("550")
    assert service.smtp.mailbox.to(to) == []


async def test_retries_that_run_out_park_the_email_as_not_permanent(service: Service) -> None:
    to = address()
    service.smtp.mailbox.refuse(to, "451 4.3.0 try later", "452 4.3.1 mailbox busy")
    await intake.take_in(service.deps, event("membership.lapsed", to))
    logged = await failed_in_the_log(service, to)
    assert logged["attempts"] == 2

    [parked] = await parked_for(service, logged["id"])
    assert (parked.headers["x-attempts"], parked.headers["x-permanent"]) == ("2", "false")
    assert parked.headers["x-error"].startswith("452")


async def test_a_sent_email_parks_nothing(service: Service) -> None:
    to = address()
    await intake.take_in(service.deps, event("membership.activated", to))
    await service.emails_to(to)
    delivery = await service.delivery(to)
    await wait_until(lambda: _sent(service, to))
    assert await parked_for(service, delivery["id"]) == []


async def _sent(service: Service, to: str) -> bool:
    return bool((await service.delivery(to))["status"] == "sent")

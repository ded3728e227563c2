"""One trace across Kafka (docs/operations.md, "Traces"): a Stripe-signed webhook that pays a
joining member, membership's transaction and outbox, the relay's publish, notifications' handling
of the event and the send of the welcome email, found in a real Jaeger through its query API.

Membership and notifications run here as processes of their own, tracing to the Jaeger the stack
script starts (CONVENE_TEST_JAEGER_*), on a Kafka broker of their own: the session's processes
do not trace, and on the shared broker the session's notifications would take the event in its
consumer group. A fresh machine builds Jaeger while the rest of the suite runs
(deploy/local/jaeger.sh): the wait for it has its own budget."""

import asyncio
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest

from tests.support import stripe as shapes
from tests.support.databases import create_database, drop_database
from tests.support.kafka_server import KafkaServer
from tests.support.services import OPERATOR, ServiceProcess, env_file, service_process
from tests.support.smtp import SmtpServer, free_port
from tests.support.stack import stack_setting, stripe_api_base
from tests.support.waiting import wait_until

JAEGER_WAIT_SECONDS = float(os.environ.get("CONVENE_TEST_JAEGER_WAIT_SECONDS", "1500"))  # a first build
DUES = 7500
WELCOMED = "convene.membership.v1"


async def jaeger_answers(query: str) -> bool:
    try:
        async with httpx.AsyncClient(base_url=query, timeout=2) as client:
            return (await client.get("/api/services")).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture
async def jaeger() -> str:
    query = stack_setting("CONVENE_TEST_JAEGER_QUERY")
    deadline = time.monotonic() + JAEGER_WAIT_SECONDS
    while not await jaeger_answers(query):
        if time.monotonic() > deadline:
            log = await asyncio.to_thread(Path(stack_setting("CONVENE_TEST_JAEGER_LOG")).read_text)
            pytest.fail(f"Jaeger did not answer at {query} within {JAEGER_WAIT_SECONDS:.0f}s:\n{log[-3000:]}")
        await asyncio.sleep(1)
    return query


@pytest.fixture
async def traced(jaeger: str, smtp_server: SmtpServer, tmp_path: Path) -> AsyncIterator[dict[str, ServiceProcess]]:
    kafka = KafkaServer()
    databases = {name: await create_database(name) for name in ("membership", "notifications")}
    ports = {name: free_port() for name in ("membership", "conference", "notifications")}
    shared = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap,
        "OTEL_EXPORTER_OTLP_ENDPOINT": stack_setting("CONVENE_TEST_JAEGER_OTLP"),
        "OTEL_BSP_SCHEDULE_DELAY": "100",  # ms: spans reach Jaeger soon after they end
        **{f"{name.upper()}_PAGES_URL": f"http://127.0.0.1:{port}" for name, port in ports.items()},
    }
    processes = {
        "membership": service_process(
            "membership",
            tmp_path,
            port=ports["membership"],
            DATABASE_URL=databases["membership"],
            STRIPE_API_BASE=stripe_api_base(),
            **shared,
        ),
        "notifications": service_process(
            "notifications",
            tmp_path,
            port=ports["notifications"],
            DATABASE_URL=databases["notifications"],
            SMTP_PORT=str(smtp_server.port),
            SEND_RATE_PER_SECOND="1000",
            **shared,
        ),
    }
    try:
        await kafka.start()
        await asyncio.gather(*(asyncio.to_thread(process.start) for process in processes.values()))
        yield processes
    finally:
        for process in processes.values():
            process.stop()
        await kafka.remove()
        for dsn in databases.values():
            await drop_database(dsn)


async def pay_to_join(membership: ServiceProcess, email: str) -> None:
    """A person joins; Stripe's signed checkout.session.completed says they paid."""
    async with httpx.AsyncClient(base_url=membership.url, headers=OPERATOR) as client:
        level = await client.post(
            "/levels", json={"name": "Individual", "price_minor": DUES, "currency": "usd", "term": "annual"}
        )
        assert level.status_code == 201, level.text
        joined = await client.post(
            "/memberships", json={"name": "Ada Lovelace", "email": email, "level_id": level.json()["id"]}
        )
        assert joined.status_code == 201, joined.text
        metadata = {"convene_kind": "join", "membership_id": joined.json()["membership"]["id"]}
        event = shapes.event("checkout.session.completed", shapes.checkout_session(metadata, amount=DUES))
        body, headers = shapes.signed(event, env_file("membership")["STRIPE_WEBHOOK_SECRET"])
        paid = await client.post("/stripe/webhook", content=body, headers=headers)
        assert paid.status_code == 200, paid.text


def spans_by_service(trace: dict[str, Any]) -> set[tuple[str, str]]:
    """(service, operation) of each span of a trace in Jaeger's JSON."""
    processes = {key: process["serviceName"] for key, process in trace["processes"].items()}
    return {(processes[span["processID"]], span["operationName"]) for span in trace["spans"]}


JOURNEY = {
    ("membership", "POST /stripe/webhook"),
    ("membership", f"publish {WELCOMED}"),
    ("notifications", f"process {WELCOMED}"),
    ("notifications", "send email"),
}


@pytest.mark.timeout(JAEGER_WAIT_SECONDS + 240)
async def test_one_trace_follows_a_paid_join_from_the_webhook_to_the_welcome_email(
    traced: dict[str, ServiceProcess], jaeger: str, smtp_server: SmtpServer
) -> None:
    email = f"traced-{uuid4().hex[:10]}@example.org"
    await pay_to_join(traced["membership"], email)
    await asyncio.to_thread(smtp_server.mailbox.wait_for, email, 1, 60)

    journeys: list[dict[str, Any]] = []
    async with httpx.AsyncClient(base_url=jaeger, timeout=10) as client:

        async def whole_journey_stored() -> bool:
            # Only this test's processes trace to this Jaeger's memory; the limit is generous.
            found = await client.get("/api/traces", params={"service": "notifications", "limit": 200})
            assert found.status_code == 200, found.text
            journeys[:] = [t for t in found.json()["data"] or [] if spans_by_service(t) >= JOURNEY]
            return bool(journeys)

        await wait_until(whole_journey_stored, seconds=30)
    assert len(journeys) == 1, [sorted(spans_by_service(t)) for t in journeys]
    # Each send is a child of the consumer's handling of its event: the delivery row kept its context.
    spans = {span["spanID"]: span for span in journeys[0]["spans"]}
    sends = [span for span in spans.values() if span["operationName"] == "send email"]
    parents = {ref["spanID"] for send in sends for ref in send["references"] if ref["refType"] == "CHILD_OF"}
    assert {spans[p]["operationName"] for p in parents} == {f"process {WELCOMED}"}

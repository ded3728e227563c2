"""Metrics end to end: the test stack's Prometheus scrapes the three services, a member joins and
people register, and PromQL through Prometheus's HTTP API shows what happened
(docs/operations.md, "Metrics and alerts")."""

import asyncio
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from tests.support.services import OPERATOR, Stack
from tests.support.smtp import SmtpServer
from tests.support.stack import stack_setting
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
Query = Callable[[str], Awaitable[float | None]]


@pytest.fixture
async def promql(stack: Stack) -> AsyncIterator[Query]:
    """Points the test Prometheus at the stack's services and waits until it scraped them all."""
    targets = [
        {"targets": [process.url.removeprefix("http://")], "labels": {"service": name}}
        for name, process in (
            ("membership", stack.membership),
            ("conference", stack.conference),
            ("notifications", stack.notifications),
        )
    ]
    await asyncio.to_thread(Path(stack_setting("CONVENE_TEST_PROMETHEUS_TARGETS")).write_text, json.dumps(targets))
    async with httpx.AsyncClient(base_url=stack_setting("CONVENE_TEST_PROMETHEUS"), timeout=10) as client:

        async def query(expression: str) -> float | None:
            """The value of a PromQL expression that yields one sample; None when it yields none."""
            answer = await client.get("/api/v1/query", params={"query": expression})
            assert answer.status_code == 200, answer.text
            result = answer.json()["data"]["result"]
            assert len(result) <= 1, f"{expression} gives {len(result)} series"
            return float(result[0]["value"][1]) if result else None

        async def all_up() -> bool:
            return await query('count(up{job="convene"} == 1)') == 3

        await wait_until(all_up, seconds=60)
        yield query


async def grows(query: Query, expression: str, beyond: float) -> None:
    """Waits (bounded) until Prometheus has scraped `expression` above `beyond`."""

    async def above() -> bool:
        return (await query(expression) or 0) > beyond

    try:
        await wait_until(above, seconds=60)
    except TimeoutError:
        pytest.fail(f"{expression} stayed at {await query(expression)}, not above {beyond}")


def counter(name: str, **labels: str) -> str:
    return f"sum({name}{{{', '.join(f'{k}={json.dumps(v)}' for k, v in labels.items())}}})"


async def a_conference(client: httpx.AsyncClient) -> tuple[str, str, str]:
    """A conference with a free ticket (confirmed at once: a sale) and a paid one (held first)."""
    now, starts = datetime.now(UTC), date(2027, 9, 1)
    created = await client.post(
        "/conferences",
        json={
            "name": f"Metrics Day {uuid4().hex[:4]}",
            "venue": "Town Hall",
            "time_zone": "UTC",
            "starts_on": str(starts),
            "ends_on": str(starts + timedelta(days=1)),
            "registration_opens_at": (now - timedelta(days=1)).isoformat(),
            "registration_closes_at": (now + timedelta(days=10)).isoformat(),
            "currency": "usd",
        },
    )
    assert created.status_code == 201, created.text
    conference_id = str(created.json()["id"])
    tickets = []
    for name, price in (("Free pass", 0), ("Day pass", 4500)):
        ticket = await client.post(
            f"/conferences/{conference_id}/ticket-types",
            json={"name": name, "capacity": 10, "member_price_minor": price, "non_member_price_minor": price},
        )
        assert ticket.status_code == 201, ticket.text
        tickets.append(str(ticket.json()["id"]))
    return conference_id, tickets[0], tickets[1]


async def register(client: httpx.AsyncClient, conference_id: str, ticket: str) -> str:
    email = f"attendee-{uuid4().hex[:8]}@example.org"
    attendees = [{"name": "Grace Hopper", "email": email, "ticket_type_ids": [ticket]}]
    body = {"payer_name": "Grace Hopper", "payer_email": email, "attendees": attendees}
    answer = await client.post(f"/conferences/{conference_id}/registrations", json=body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["status"])


async def join(client: httpx.AsyncClient) -> None:
    """An operator records a new member's cheque: the member joins, active at once."""
    level = await client.post(
        "/levels", json={"name": f"Metrics {uuid4().hex[:6]}", "price_minor": 7500, "currency": "usd", "term": "annual"}
    )
    assert level.status_code == 201, level.text
    paid = await client.post(
        "/offline-payments",
        json={
            "name": "Ada Lovelace",
            "email": f"member-{uuid4().hex[:8]}@example.org",
            "level_id": level.json()["id"],
            "amount_minor": 7500,
            "currency": "usd",
            "method": "cheque",
            "reference": f"CHQ-{uuid4().hex[:8]}",
        },
    )
    assert paid.status_code == 201, paid.text


async def test_prometheus_sees_a_join_and_registrations_as_they_happen(
    stack: Stack, promql: Query, smtp_server: SmtpServer
) -> None:
    watched = {
        "joins answered": counter(
            "convene_http_requests_total", service="membership", route="/offline-payments", status="201"
        ),
        "registrations answered": counter(
            "convene_http_requests_total",
            service="conference",
            route="/conferences/{conference_id}/registrations",
            status="201",
        ),
        "activations published": counter(
            "convene_outbox_published_total", service="membership", event_type="membership.activated"
        ),
        "holds": counter(
            "convene_outbox_published_total", service="conference", event_type="conference.registration_held"
        ),
        "sales": counter(
            "convene_outbox_published_total", service="conference", event_type="conference.registration_confirmed"
        ),
        "emails sent": counter(
            "convene_outbox_published_total", service="notifications", event_type="notification.sent"
        ),
        "messages handled": counter("convene_messages_handled_total", service="notifications"),
    }
    before = {what: await promql(expression) or 0 for what, expression in watched.items()}

    async with httpx.AsyncClient(base_url=stack.membership.url, headers=OPERATOR) as membership:
        await join(membership)
    async with httpx.AsyncClient(base_url=stack.conference.url, headers=OPERATOR) as conference:
        conference_id, free, paid = await a_conference(conference)
        assert await register(conference, conference_id, free) == "confirmed"
        assert await register(conference, conference_id, paid) == "held"

    for what, expression in watched.items():
        await grows(promql, expression, before[what])
    # Read when scraped: present for every service, whatever their values are now.
    for service in ("membership", "conference", "notifications"):
        assert await promql(f'max(convene_relay_leader{{service="{service}"}})') == 1
        assert await promql(f'max(convene_outbox_backlog{{service="{service}"}})') is not None
        assert (await promql(f'max(convene_pool_size{{service="{service}"}})') or 0) >= 1
        assert await promql(f'min(convene_ready{{service="{service}"}})') == 1
    assert (await promql('count(convene_consumer_lag{service="notifications"})') or 0) > 0
    assert await promql('max(convene_refunds_owed{service="conference"})') is not None
    assert await promql('max(convene_emails_owed{service="notifications"})') is not None


async def test_every_metric_the_dashboard_and_the_alerts_use_is_one_a_service_declares(stack: Stack) -> None:
    declared: set[str] = set()
    async with httpx.AsyncClient() as client:
        for process in (stack.membership, stack.conference, stack.notifications):
            answer = await client.get(f"{process.url}/metrics")
            assert answer.status_code == 200, answer.text
            declared |= set(re.findall(r"^# TYPE (convene_\w+)", answer.text, re.MULTILINE))
    used = set()
    for path in ("deploy/prometheus/rules.yml", "deploy/prometheus/alerts.yml", "deploy/grafana/convene.json"):
        used |= set(re.findall(r"\b(convene_[a-z_]+?)(?:_bucket|_count|_sum)?\b", (ROOT / path).read_text()))
    assert used, "no metric found in the dashboard or the rules"
    assert used <= declared | {f"{name}_total" for name in declared}, used - declared


async def test_every_dashboard_panel_is_a_query_prometheus_accepts(promql: Query) -> None:
    dashboard = json.loads((ROOT / "deploy" / "grafana" / "convene.json").read_text())
    expressions = [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    assert expressions
    for expression in expressions:
        # Each panel is one query; the `service` variable stands for every service.
        async with httpx.AsyncClient(base_url=stack_setting("CONVENE_TEST_PROMETHEUS")) as client:
            answer = await client.get("/api/v1/query", params={"query": expression.replace("$service", ".*")})
        assert answer.status_code == 200, f"{expression}: {answer.text}"

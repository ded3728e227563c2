"""One flow, one id (docs/operations.md, "Logs"): a request's X-Correlation-ID follows its event
through Kafka to the email, into the logs of all three services and the delivery log; and the
logs name no one: the address and the name the flow used appear in none of them."""

import json
import random
import string
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from tests.support.services import OPERATOR, Stack
from tests.support.smtp import SmtpServer
from tests.support.waiting import wait_until

from .test_membership_to_inbox import emails_to


def log_lines(log: Path, containing: str) -> list[dict[str, Any]]:
    """The JSON lines a service wrote that mention `containing` (the file is the session's)."""
    lines = (line for line in log.read_text(errors="replace").splitlines() if containing in line)
    return [json.loads(line) for line in lines if line.startswith("{")]


async def test_a_requests_correlation_id_follows_it_to_the_email_and_the_logs_name_no_one(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    flow, email = str(uuid4()), f"flow-{uuid4().hex[:10]}@example.org"
    name = "Ada " + "".join(random.choices(string.ascii_lowercase, k=10)).title()
    async with httpx.AsyncClient(base_url=stack.membership.url, headers=OPERATOR) as client:
        level = await client.post(
            "/levels",
            json={"name": f"Flow {uuid4().hex[:6]}", "price_minor": 7500, "currency": "usd", "term": "annual"},
        )
        assert level.status_code == 201, level.text
        paid = await client.post(
            "/offline-payments",
            headers={"X-Correlation-ID": flow},
            json={
                "name": name,
                "email": email,
                "level_id": level.json()["id"],
                "amount_minor": 7500,
                "currency": "usd",
                "method": "cheque",
                "reference": f"CHQ-{uuid4().hex[:8]}",
            },
        )
        assert paid.status_code == 201, paid.text
        assert paid.headers["X-Correlation-ID"] == flow
    await emails_to(smtp_server, email)

    async with httpx.AsyncClient(base_url=stack.notifications.url, headers=OPERATOR) as client:
        [delivery] = (await client.get("/deliveries", params={"correlation_id": flow})).json()
    assert (delivery["recipient"], delivery["correlation_id"]) == (email, flow)

    services = (stack.membership, stack.conference, stack.notifications)

    def flow_lines() -> dict[str, list[dict[str, Any]]]:
        return {
            s.name: [line for line in log_lines(s.log, flow) if line.get("correlation_id") == flow] for s in services
        }

    # Conference applies the membership event in its own time; the other two have logged already.
    await wait_until(lambda: all(flow_lines().values()), seconds=30)
    lines = flow_lines()
    [access] = [line for line in lines["membership"] if line["logger"] == "convene.access"]
    assert (access["method"], access["route"], access["status"]) == ("POST", "/offline-payments", 201)
    assert isinstance(access["duration_ms"], float)
    assert access["client"] == "127.0.0.1"
    assert any(line.get("event_type") == "membership.activated" for line in lines["conference"])
    assert any(line.get("delivery_id") == delivery["id"] for line in lines["notifications"])
    for line in (line for found in lines.values() for line in found):
        assert {"time", "level", "service", "instance", "logger", "message"} <= set(line)

    for service in services:
        text = service.log.read_text(errors="replace")
        assert email not in text, f"{service.name}'s log names the address"
        assert name not in text, f"{service.name}'s log names the person"

"""B3: a signed `checkout.session.completed` accepted by the conference service -> the ticket
email received by an SMTP server, at 100 confirmations per second.

Both timestamps are taken here, outside the services: when the webhook's 200 came back, and
when the receiver (an aiosmtpd server in this process, which records the clock at DATA) got the
ticket email for that registration's payer. Held registrations are made first and their
"complete your registration" emails drained, so only confirmations are in flight while timed.
"""

import asyncio
import statistics
import threading
import time
from typing import Any
from uuid import uuid4

import httpx
from aiosmtpd.controller import Controller

from bench.scenarios.rush import conference_with_seats
from bench.stack import nothing_pending, restart_service, url
from tests.support import stripe as shapes
from tests.support.services import env_file
from tests.support.smtp import free_port
from tests.support.waiting import wait_until

CONFIRMATIONS, PER_SECOND = 2000, 100
TICKET_SUBJECT = "Your ticket for "


class Receiver:
    """Notes when each email arrives, by recipient and whether it is the ticket email."""

    def __init__(self) -> None:
        self.tickets: dict[str, float] = {}
        self.others = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        at = time.time()
        head = envelope.content.split(b"\r\n\r\n", 1)[0].decode(errors="replace")
        subject = next((line[9:] for line in head.splitlines() if line.startswith("Subject: ")), "")
        with self.lock:
            for recipient in envelope.rcpt_tos:
                if subject.startswith(TICKET_SUBJECT):
                    self.tickets.setdefault(recipient, at)
                else:
                    self.others += 1
        return "250 OK"


async def _hold(client: httpx.AsyncClient, conference_id: str, ticket_id: str, email: str) -> str:
    body = {
        "payer_name": "Bench",
        "payer_email": email,
        "attendees": [{"name": "Bench", "email": email, "ticket_type_ids": [ticket_id]}],
    }
    response = await client.post(f"/conferences/{conference_id}/registrations", json=body)
    response.raise_for_status()
    return str(response.json()["registration_id"])


async def _holds(conference_id: str, ticket_id: str, emails: list[str]) -> list[str]:
    async with httpx.AsyncClient(base_url=url("conference"), timeout=60) as client:
        ids: list[str] = []
        for chunk in range(0, len(emails), 50):
            ids += await asyncio.gather(
                *(_hold(client, conference_id, ticket_id, e) for e in emails[chunk : chunk + 50])
            )
        return ids


async def _confirm_at_rate(registrations: list[str]) -> list[float]:
    """Sends one signed webhook every 1/PER_SECOND s; returns when each was accepted."""
    secret = env_file("conference")["STRIPE_WEBHOOK_SECRET"]
    accepted = [0.0] * len(registrations)
    async with httpx.AsyncClient(base_url=url("conference"), timeout=60) as client:

        async def confirm(n: int, registration_id: str) -> None:
            session = shapes.checkout_session(
                {"convene_kind": "registration", "registration_id": registration_id}, amount=45000
            )
            body, headers = shapes.signed(shapes.event("checkout.session.completed", session), secret)
            response = await client.post("/stripe/webhook", content=body, headers=headers)
            response.raise_for_status()
            accepted[n] = time.time()

        start, tasks = time.monotonic(), []
        for n, registration_id in enumerate(registrations):
            await asyncio.sleep(max(0.0, start + n / PER_SECOND - time.monotonic()))
            tasks.append(asyncio.create_task(confirm(n, registration_id)))
        await asyncio.gather(*tasks)
    return accepted


def run() -> dict[str, Any]:
    receiver, port = Receiver(), free_port()
    controller = Controller(receiver, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        restart_service("notifications", SMTP_PORT=str(port), SEND_RATE_PER_SECOND="100000", LOG_LEVEL="WARNING")
        conference_id, ticket_id = conference_with_seats(CONFIRMATIONS)
        emails = [f"b3-{uuid4().hex[:8]}-{n}@example.org" for n in range(CONFIRMATIONS)]
        registrations = asyncio.run(_holds(conference_id, ticket_id, emails))
        # First the "complete your registration" emails, and anything else the stack owed, so
        # that only confirmations are timed.
        asyncio.run(wait_until(lambda: receiver.others >= CONFIRMATIONS, seconds=300))
        asyncio.run(wait_until(nothing_pending, seconds=300))
        accepted = asyncio.run(_confirm_at_rate(registrations))
        asyncio.run(wait_until(lambda: len(receiver.tickets) >= CONFIRMATIONS, seconds=300))
    finally:
        controller.stop()
        restart_service("notifications")
    delays = sorted((receiver.tickets[e] - a) * 1000 for e, a in zip(emails, accepted, strict=True))
    return {
        "b3_p50_ms": statistics.median(delays),
        "b3_p99_ms": delays[int(len(delays) * 0.99) - 1],
        "b3_max_ms": delays[-1],
        "b3_confirmations": float(len(delays)),
    }

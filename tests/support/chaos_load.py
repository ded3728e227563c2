"""The chaos test's mixed load: members joining and paying their dues, attendees registering for
a conference and paying, each Stripe webhook delivered two or three times (some copies at
once), as Stripe does when it is not sure an earlier delivery arrived. It records what the
services answered, so that the counts can check every 2xx left its effect."""

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from tests.support import stripe as shapes
from tests.support.chaos_client import Client
from tests.support.services import OPERATOR
from tests.support.stripe import Json

DUES = 7500


@dataclass
class Paid:
    """What the load knows about one thing it paid for: whom, and whether any delivery of the
    payment's webhook was answered 2xx (then its effect must be there)."""

    email: str
    ticket_type_id: str = ""
    acknowledged: bool = False


@dataclass
class Load:
    client: Client
    secrets: dict[str, str]  # each service's Stripe webhook secret
    level_id: str = ""
    conference_id: str = ""
    ticket_types: dict[str, int] = field(default_factory=dict)  # id -> capacity
    joined: dict[str, str] = field(default_factory=dict)  # membership id (answered 201) -> email
    registered: dict[str, str] = field(default_factory=dict)  # registration id (answered 201) -> email
    paid_memberships: dict[str, Paid] = field(default_factory=dict)
    paid_registrations: dict[str, Paid] = field(default_factory=dict)
    sold_out: int = 0
    unexpected: list[str] = field(default_factory=list)  # answers no client should get
    _flows: int = 0

    async def set_up(self, capacities: list[int]) -> None:
        level = await self._operator("membership", "/levels", name="Individual", price_minor=DUES, currency="usd",
                                     term="annual")  # fmt: skip
        self.level_id = level["id"]
        self.conference_id = (await self._operator("conference", "/conferences", **_conference()))["id"]
        for n, capacity in enumerate(capacities):
            ticket = await self._operator("conference", f"/conferences/{self.conference_id}/ticket-types",
                                          name=f"Ticket {n}", capacity=capacity, member_price_minor=30000,
                                          non_member_price_minor=45000)  # fmt: skip
            self.ticket_types[ticket["id"]] = capacity

    async def _operator(self, service: str, path: str, **body: Any) -> Json:
        response = await self.client.call(service, "setup", "POST", path, json=body, headers=OPERATOR)
        assert response is not None, f"{path} was given up"
        assert response.status_code == 201, response.text
        created: Json = response.json()
        return created

    async def run(self, worker: int, stop: asyncio.Event, most: int, pace: float) -> None:
        """One client's flows, one after the other, until told to stop or `most` are done."""
        for n in range(most):
            if stop.is_set():
                return
            await (self.member_joins() if worker % 2 == 0 else self.attendee_registers(n))
            await asyncio.sleep(pace)

    async def member_joins(self) -> None:
        email = f"chaos-m-{uuid4().hex[:10]}@example.org"
        body = {"name": "Ada Lovelace", "email": email, "level_id": self.level_id}
        joined = await self.client.call("membership", "join", "POST", "/memberships", json=body)
        if not self._expect(joined, 201, "join"):
            return
        assert joined is not None
        membership_id = joined.json()["membership"]["id"]
        self.joined[membership_id] = email
        metadata = {"convene_kind": "join", "membership_id": membership_id}
        event = shapes.event("checkout.session.completed", shapes.checkout_session(metadata, amount=DUES))
        self.paid_memberships[membership_id] = paid = Paid(email)  # Stripe took the money
        await self._deliver("membership", event, paid)

    async def attendee_registers(self, n: int) -> None:
        email = f"chaos-a-{uuid4().hex[:10]}@example.org"
        ticket_type_id = list(self.ticket_types)[n % len(self.ticket_types)]
        attendee = {"name": "Pat Payer", "email": email, "ticket_type_ids": [ticket_type_id]}
        body = {"payer_name": "Pat Payer", "payer_email": email, "attendees": [attendee]}
        path = f"/conferences/{self.conference_id}/registrations"
        held = await self.client.call("conference", "register", "POST", path, json=body)
        if held is not None and held.status_code == 409 and held.json().get("waitlist"):
            self.sold_out += 1
            return
        if not self._expect(held, 201, "register"):
            return
        assert held is not None
        registration = held.json()
        registration_id = str(registration["registration_id"])
        self.registered[registration_id] = email
        metadata = {"convene_kind": "registration", "registration_id": registration_id}
        session = shapes.checkout_session(metadata, amount=registration["amount_minor"])
        self.paid_registrations[registration_id] = paid = Paid(email, ticket_type_id)
        await self._deliver("conference", shapes.event("checkout.session.completed", session), paid)

    async def _deliver(self, service: str, event: Json, paid: Paid) -> None:
        """Two or three deliveries of one event: one after the other, two at once, or two at once
        and a third after them."""
        self._flows += 1
        pattern = self._flows % 3

        def signed() -> dict[str, Any]:
            body, headers = shapes.signed(event, self.secrets[service])
            return {"content": body, "headers": headers}

        async def once() -> None:
            answer = await self.client.call(service, "webhook", "POST", "/stripe/webhook", make=signed)
            if self._expect(answer, 200, f"{service} webhook"):
                paid.acknowledged = True

        if pattern == 0:
            await once()
            await once()
        else:
            await asyncio.gather(once(), once())
            if pattern == 2:
                await once()

    def _expect(self, response: Any, status: int, what: str) -> bool:
        if response is None:
            return False  # given up: the client counted it
        if response.status_code != status:
            self.unexpected.append(f"{what}: {response.status_code} {response.text[:200]}")
            return False
        return True

    def totals(self) -> dict[str, int]:
        return {
            "members joined": len(self.joined),
            "memberships paid": len(self.paid_memberships),
            "registrations held": len(self.registered),
            "registrations paid": len(self.paid_registrations),
            "registrations refused, sold out": self.sold_out,
            "webhook events": self._flows,
        }


def _conference() -> Json:
    now = time.time()

    def at(days: float) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + days * 86400))

    return {
        "name": "CIT Chaos Conference", "venue": "Chicago", "time_zone": "America/Chicago",
        "starts_on": "2027-08-16", "ends_on": "2027-08-19", "registration_opens_at": at(-1),
        "registration_closes_at": at(90), "currency": "usd", "full_refund_until": at(30),
        "partial_refund_until": at(60), "partial_refund_percent": 50,
    }  # fmt: skip

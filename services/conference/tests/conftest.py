"""The conference service in-process on the real stack, with helpers for operators, attendees
and Stripe."""

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest

from conference.bootstrap import SPEC
from conference.config import ConferenceSettings
from conference.service_layer.deps import Deps
from convene_contracts import CONFERENCE, RawEvent
from tests.support import stripe as shapes
from tests.support.apps import running_app
from tests.support.kafka import published as published_on
from tests.support.stack import kafka_bootstrap, stripe_api_base
from tests.support.staff import bearer

OPERATOR_TOKEN = "test-operator-token-0123456789"
SESSION_SECRET = "test-session-secret-0123456789-0123456789"
OPERATOR = bearer(SESSION_SECRET)  # the tests' owner (tests.support.staff), in every test database
WEBHOOK_SECRET = "whsec_test_conference"


def settings_for(database: str, **overrides: Any) -> ConferenceSettings:
    values: dict[str, Any] = {
        "database_url": database,
        "kafka_bootstrap_servers": kafka_bootstrap(),
        "operator_token_sha256": hashlib.sha256(OPERATOR_TOKEN.encode()).hexdigest(),
        "stripe_secret_key": "sk_test_convene",
        "stripe_webhook_secret": WEBHOOK_SECRET,
        "stripe_api_base": stripe_api_base(),
        "attendee_link_secret": "x" * 32,
        "rate_limit_per_minute": 100_000,
        # Every test client is one address: fair holds are tested with their defaults in test_fair_holds.py.
        "unpaid_seats_per_client": 1_000_000,
        "unpaid_seats_per_email": 1_000_000,
        "hold_sweep_seconds": 3600,
        "outbox_poll_seconds": 0.2,
        "session_secret": SESSION_SECRET,
        "cookie_secure": False,
    }
    return ConferenceSettings(**(values | overrides))


@dataclass
class Conference:
    client: httpx.AsyncClient
    deps: Deps
    pool: asyncpg.Pool  # the service's own, for the tests' checks of what it stored

    async def conference(self, **overrides: Any) -> str:
        now = datetime.now(UTC)
        body = {
            "name": f"CIT Conference {uuid4().hex[:4]}",
            "venue": "Chicago",
            "time_zone": "America/Chicago",
            "starts_on": str(date(2027, 8, 16)),
            "ends_on": str(date(2027, 8, 19)),
            "registration_opens_at": (now - timedelta(days=1)).isoformat(),
            "registration_closes_at": (now + timedelta(days=90)).isoformat(),
            "currency": "usd",
            "full_refund_until": (now + timedelta(days=30)).isoformat(),
            "partial_refund_until": (now + timedelta(days=60)).isoformat(),
            "partial_refund_percent": 50,
        }
        response = await self.client.post("/conferences", json=body | overrides, headers=OPERATOR)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def ticket_type(self, conference_id: str, **overrides: Any) -> str:
        body = {
            "name": f"Full conference {uuid4().hex[:4]}",
            "capacity": 100,
            "member_price_minor": 30000,
            "non_member_price_minor": 45000,
        }
        response = await self.client.post(
            f"/conferences/{conference_id}/ticket-types", json=body | overrides, headers=OPERATOR
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def register(
        self, conference_id: str, ticket_type_ids: list[str], email: str | None = None, **overrides: Any
    ) -> httpx.Response:
        email = email or f"a-{uuid4().hex[:8]}@example.org"
        body = {
            "payer_name": "Pat Payer",
            "payer_email": email,
            "attendees": [{"name": "Pat Payer", "email": email, "ticket_type_ids": ticket_type_ids}],
        }
        return await self.client.post(f"/conferences/{conference_id}/registrations", json=body | overrides)

    async def stripe(self, event: dict[str, Any]) -> httpx.Response:
        body, headers = shapes.signed(event, WEBHOOK_SECRET)
        return await self.client.post("/stripe/webhook", content=body, headers=headers)

    async def pay(self, registration_id: str, amount: int, created: datetime | None = None) -> httpx.Response:
        session = shapes.checkout_session(
            {"convene_kind": "registration", "registration_id": registration_id}, amount=amount
        )
        return await self.stripe(shapes.event("checkout.session.completed", session, created=created))

    async def status(self, registration_id: str) -> str:
        found: str = await self.pool.fetchval("SELECT status FROM registrations WHERE id = $1", UUID(registration_id))
        return found


async def published(event_type: str, expect: int = 1, seconds: float = 20, **payload: Any) -> list[RawEvent]:
    return await published_on(CONFERENCE, event_type, expect, seconds, **payload)


@asynccontextmanager
async def running(database: str, **overrides: Any) -> AsyncIterator[Conference]:
    async with running_app(SPEC, settings_for(database, **overrides)) as (client, runtime):
        yield Conference(client, runtime.deps_as(Deps), runtime.pool)


@pytest.fixture
async def conference(database: str) -> AsyncIterator[Conference]:
    async with running(database) as service:
        yield service

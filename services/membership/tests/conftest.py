"""The membership service running in-process on the real stack (Postgres, Kafka, stripe-mock),
with helpers to act as an operator, an applicant, a signed-in member and Stripe."""

import hashlib
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import asyncpg
import httpx
import pytest

from convene_contracts import MEMBERSHIP, RawEvent
from convene_web.sessions import SESSION_COOKIE, Session, signed
from membership.bootstrap import SPEC
from membership.config import MembershipSettings
from membership.service_layer.deps import Deps
from tests.support import stripe as stripe_shapes
from tests.support.apps import running_app
from tests.support.kafka import published as published_on
from tests.support.stack import kafka_bootstrap, stripe_api_base
from tests.support.staff import bearer, staff_cookie

OPERATOR_TOKEN = "test-operator-token-0123456789"
WEBHOOK_SECRET = "whsec_test_membership"
SESSION_SECRET = "test-session-secret-0123456789-0123456789"
OPERATOR = bearer(SESSION_SECRET)  # the tests' owner (tests.support.staff), in every test database


def settings_for(database: str, **overrides: Any) -> MembershipSettings:
    values: dict[str, Any] = {
        "database_url": database,
        "kafka_bootstrap_servers": kafka_bootstrap(),
        "operator_token_sha256": hashlib.sha256(OPERATOR_TOKEN.encode()).hexdigest(),
        "stripe_secret_key": "sk_test_convene",
        "stripe_webhook_secret": WEBHOOK_SECRET,
        "stripe_api_base": stripe_api_base(),
        "association_timezone": "America/Toronto",
        "rate_limit_per_minute": 1000,
        "scheduler_interval_seconds": 3600,
        "outbox_poll_seconds": 0.2,
        "membership_pages_url": "https://members.cit.example",
        "session_secret": SESSION_SECRET,
        "cookie_secure": False,
    }
    return MembershipSettings(**(values | overrides))


@dataclass
class Membership:
    """The running service and ways to talk to it."""

    client: httpx.AsyncClient
    deps: Deps
    pool: asyncpg.Pool  # the service's own pool, for tests that look at the tables

    async def level(self, **overrides: Any) -> dict[str, Any]:
        body = {"name": f"Individual {uuid4().hex[:6]}", "price_minor": 7500, "currency": "usd", "term": "annual"}
        response = await self.client.post("/levels", json=body | overrides, headers=OPERATOR)
        assert response.status_code == 201, response.text
        level: dict[str, Any] = response.json()
        return level

    async def join(self, level: dict[str, Any], **overrides: Any) -> dict[str, Any]:
        body = {"name": "Ada Lovelace", "email": f"ada-{uuid4().hex[:8]}@example.org", "level_id": level["id"]}
        response = await self.client.post("/memberships", json=body | overrides)
        assert response.status_code == 201, response.text
        joined: dict[str, Any] = response.json()
        return joined

    async def stripe(
        self, event: dict[str, Any], secret: str = WEBHOOK_SECRET, timestamp: int | None = None
    ) -> httpx.Response:
        body, headers = stripe_shapes.signed(event, secret, timestamp)
        return await self.client.post("/stripe/webhook", content=body, headers=headers)

    async def pay(self, joined: dict[str, Any], amount: int = 7500) -> dict[str, Any]:
        """Stripe confirms the Checkout Session of a one-time join."""
        membership_id = joined["membership"]["id"]
        session = stripe_shapes.checkout_session(
            {"convene_kind": "join", "membership_id": membership_id}, amount=amount
        )
        response = await self.stripe(stripe_shapes.event("checkout.session.completed", session))
        assert response.status_code == 200, response.text
        return session

    async def status(self, membership_id: str) -> str:
        found: str = await self.pool.fetchval("SELECT status FROM memberships WHERE id = $1", UUID(membership_id))
        return found

    async def sign_in(self, email: str) -> dict[str, str]:
        """Asks for a link, reads it from the published event, redeems it; returns auth headers."""
        assert (await self.client.post("/sign-in", json={"email": email})).status_code == 202
        url = await sign_in_url(email)
        redeemed = await self.client.post(f"/sign-in/{url.rsplit('/', 1)[1]}")
        assert redeemed.status_code == 200, redeemed.text
        return {"Authorization": f"Bearer {redeemed.json()['session_token']}"}


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert found, f"no CSRF field on {page.url}"
    return found[1]


def arrive_signed_in(service: Membership, kind: str, member_id: UUID | None = None, email: str | None = None) -> None:
    """The pages' session cookie, as signing in would set it (http.cookiejar files a dotless host
    such as the test client's 'membership' under '.local')."""
    if kind == "operator":
        cookie = staff_cookie(service.deps.settings)
    else:
        session = Session(kind, member_id, email, int(time.time()) + 3600)  # type: ignore[arg-type]
        cookie = signed(service.deps.settings, session)
    service.client.cookies.set(SESSION_COOKIE, cookie, domain="membership.local")


async def as_member(service: Membership, email: str) -> UUID:
    member_id: UUID = await service.pool.fetchval("SELECT id FROM members WHERE email = $1", email)
    assert member_id is not None, f"no member {email}"
    arrive_signed_in(service, "member", member_id, email)
    return member_id


async def active_member(membership: Membership, **join: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """Joins, pays, signs in; returns the join answer and the member's auth headers."""
    level = join.pop("level", None) or await membership.level()
    email = join.pop("email", f"m-{uuid4().hex[:8]}@example.org")
    joined = await membership.join(level, email=email, **join)
    await membership.pay(joined, amount=level["price_minor"])
    return joined, await membership.sign_in(email)


async def published(event_type: str, expect: int = 1, seconds: float = 20, **payload: Any) -> list[RawEvent]:
    return await published_on(MEMBERSHIP, event_type, expect, seconds, **payload)


async def sign_in_url(email: str) -> str:
    [*_, latest] = await published("membership.sign_in_requested", email=email)
    url: str = latest.payload["sign_in_url"]
    return url


@asynccontextmanager
async def running(database: str, *, seed_owner: bool = True, **overrides: Any) -> AsyncIterator[Membership]:
    """The membership service started in-process with these settings, stopped afterwards."""
    async with running_app(SPEC, settings_for(database, **overrides), seed_owner) as (client, runtime):
        yield Membership(client, runtime.deps_as(Deps), runtime.pool)


@pytest.fixture
async def membership(database: str) -> AsyncIterator[Membership]:
    async with running(database) as service:
        yield service

"""A slow Stripe never drains membership's database pool (reliability property 25): while Stripe
calls hang behind a slow proxy, more of them than the pool has connections (10), the rest of the
service keeps answering, and each slow call ends with a clear 502 after STRIPE_TIMEOUT_SECONDS."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import pytest

from tests.support import stripe as shapes
from tests.support.proxy import TcpProxy
from tests.support.stack import stripe_api_base

from .conftest import Membership, running

POOL_SIZE = 10  # convene_service.runtime's pool
SLOW_CALLS = POOL_SIZE + 2


@pytest.fixture
async def slow_stripe() -> AsyncIterator[TcpProxy]:
    target = urlsplit(stripe_api_base())
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 12111)
    await proxy.start()
    yield proxy
    await proxy.cut()


async def subscribed_memberships(membership: Membership, email: str, count: int) -> list[str]:
    level = await membership.level()
    ids = []
    for _ in range(count):
        joined = await membership.join(level, email=email, auto_renew=True)
        metadata = {"convene_kind": "join", "membership_id": joined["membership"]["id"]}
        session = shapes.checkout_session(
            metadata, amount=7500, mode="subscription", subscription=shapes.stripe_id("sub")
        )
        assert (await membership.stripe(shapes.event("checkout.session.completed", session))).status_code == 200
        ids.append(joined["membership"]["id"])
    return ids


async def test_hanging_stripe_calls_hold_no_connection_and_end_in_a_502(database: str, slow_stripe: TcpProxy) -> None:
    base = f"http://127.0.0.1:{slow_stripe.port}"
    settings: dict[str, Any] = {"stripe_api_base": base, "stripe_timeout_seconds": 5, "stripe_max_network_retries": 0}
    async with running(database, **settings) as membership:
        email = f"slow-{uuid4().hex[:6]}@example.org"
        ids = await subscribed_memberships(membership, email, SLOW_CALLS)
        me = await membership.sign_in(email)
        slow_stripe.delay_seconds = 120  # from now on Stripe hangs, far beyond any timeout
        stops = [
            asyncio.create_task(membership.client.post(f"/me/memberships/{i}/auto-renew/stop", headers=me)) for i in ids
        ]
        # All the stops wait on Stripe at once, more than the pool has connections: had each held
        # one (or a row lock), the last ones could not even reach Stripe, nor the reads below.
        await asyncio.wait_for(slow_stripe.holding(SLOW_CALLS), 30)
        levels = await asyncio.wait_for(membership.client.get("/levels"), 4)
        mine = await asyncio.wait_for(membership.client.get("/me", headers=me), 4)
        assert (levels.status_code, mine.status_code) == (200, 200)
        assert not any(stop.done() for stop in stops), "the Stripe calls were meant to be still waiting"

        answers = await asyncio.wait_for(asyncio.gather(*stops), 60)
        assert [a.status_code for a in answers] == [502] * SLOW_CALLS
        assert all("payment provider did not answer" in a.json()["detail"] for a in answers)
        still = await membership.pool.fetch(
            "SELECT auto_renew FROM memberships WHERE id = ANY($1::uuid[])", [UUID(i) for i in ids]
        )
        assert [row["auto_renew"] for row in still] == [True] * SLOW_CALLS  # Stripe said nothing: nothing changed

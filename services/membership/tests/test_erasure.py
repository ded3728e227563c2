"""Erasure through the API (M10, reliability properties 20 and 26): Stripe stops renewing first,
and what the person held elsewhere is announced so the other services follow."""

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import pytest

from convene_contracts.privacy import email_digest
from tests.support import stripe as shapes
from tests.support.proxy import TcpProxy
from tests.support.stack import stripe_api_base

from .conftest import Membership, active_member, published, running

ERASE = {"confirm": "erase my data"}


@pytest.fixture
async def stripe_proxy() -> AsyncIterator[TcpProxy]:
    target = urlsplit(stripe_api_base())
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 12111)
    await proxy.start()
    yield proxy
    await proxy.cut()


async def renewing_member(membership: Membership, email: str) -> tuple[str, str, dict[str, str]]:
    """A member whose membership renews through a Stripe subscription: (membership, subscription, auth)."""
    level = await membership.level()
    joined = await membership.join(level, email=email, name="Rita Renewing", auto_renew=True)
    membership_id = joined["membership"]["id"]
    subscription = shapes.stripe_id("sub")
    metadata = {"convene_kind": "join", "membership_id": membership_id}
    session = shapes.checkout_session(metadata, amount=7500, mode="subscription", subscription=subscription)
    assert (await membership.stripe(shapes.event("checkout.session.completed", session))).status_code == 200
    return membership_id, subscription, await membership.sign_in(email)


async def test_erasing_through_the_api_stops_automatic_renewal_at_stripe_first(
    database: str, stripe_proxy: TcpProxy
) -> None:
    async with running(database, stripe_api_base=f"http://127.0.0.1:{stripe_proxy.port}") as membership:
        email = f"renewing-{uuid4().hex[:6]}@example.org"
        membership_id, subscription, me = await renewing_member(membership, email)

        erased = await membership.client.post("/me/erase", json=ERASE, headers=me)

        assert erased.status_code == 204, erased.text
        assert f"POST /v1/subscriptions/{subscription} ".encode() in stripe_proxy.sent
        assert b"cancel_at_period_end=true" in stripe_proxy.sent
        row = await membership.pool.fetchrow(
            "SELECT auto_renew, status FROM memberships WHERE id = $1", UUID(membership_id)
        )
        assert row is not None
        assert (row["auto_renew"], row["status"]) == (False, "active")  # the paid period runs out as usual


async def test_with_stripe_unreachable_nothing_is_erased_and_renewal_stays_on(
    database: str, stripe_proxy: TcpProxy
) -> None:
    settings: dict[str, Any] = {
        "stripe_api_base": f"http://127.0.0.1:{stripe_proxy.port}",
        "stripe_timeout_seconds": 2,
        "stripe_max_network_retries": 0,
    }
    async with running(database, **settings) as membership:
        email = f"renewing-{uuid4().hex[:6]}@example.org"
        membership_id, _, me = await renewing_member(membership, email)
        await stripe_proxy.cut()

        refused = await membership.client.post("/me/erase", json=ERASE, headers=me)

        assert refused.status_code == 502, refused.text
        assert await membership.pool.fetchval("SELECT email FROM members WHERE email = $1", email) == email
        renews = await membership.pool.fetchval("SELECT auto_renew FROM memberships WHERE id = $1", UUID(membership_id))
        assert renews is True  # never marked stopped before Stripe said so


async def test_erasing_a_seat_holder_announces_the_seat_removed_without_their_address(membership: Membership) -> None:
    agency = await membership.level(kind="organizational", seat_count=3, price_minor=50000)
    org, contact = await active_member(membership, level=agency, organization_name="Harbour Agency")
    email = f"holder-{uuid4().hex[:6]}@example.org"
    _, me = await active_member(membership, email=email, name="Sam Seatholder")
    seats_url = f"/me/memberships/{org['membership']['id']}/seats"
    seat = await membership.client.post(seats_url, json={"email": email, "name": "Sam Seatholder"}, headers=contact)
    assert seat.status_code == 201, seat.text
    member_id = await membership.pool.fetchval("SELECT id FROM members WHERE email = $1", email)

    assert (await membership.client.post("/me/erase", json=ERASE, headers=me)).status_code == 204

    [removed] = await published("membership.seat_removed", seat_id=seat.json()["id"])
    assert removed.payload["membership_id"] == org["membership"]["id"]
    assert removed.payload["member_id"] == org["membership"]["member_id"]  # the organization's event
    assert email not in removed.model_dump_json()
    [erased] = await published("membership.member_erased", member_id=str(member_id))
    assert erased.payload["email_sha256"] == email_digest(email)
    assert email not in erased.model_dump_json()

"""Every Stripe POST carries a key made of our ids and a digest of its parameters (reliability
property 4): a changed request is a new key, the same request retried is the same key. Read
from the requests that reach stripe-mock through a recording proxy."""

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from uuid import uuid4

import pytest

from membership.adapters.stripe_gateway import StripeGateway
from membership.domain.model import Level, Member, Term
from tests.support.proxy import TcpProxy
from tests.support.stack import stripe_api_base

from .conftest import OPERATOR, active_member, running, settings_for


@pytest.fixture
async def recording_stripe() -> AsyncIterator[TcpProxy]:
    target = urlsplit(stripe_api_base())
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 12111)
    await proxy.start()
    yield proxy
    await proxy.cut()


def keys_sent(proxy: TcpProxy, prefix: str) -> list[str]:
    found = re.findall(rb"(?im)^idempotency-key: *(\S+)\r$", bytes(proxy.sent))
    return [key.decode() for key in found if key.decode().startswith(prefix)]


async def test_two_renewals_with_different_parameters_get_two_keys(database: str, recording_stripe: TcpProxy) -> None:
    async with running(database, stripe_api_base=f"http://127.0.0.1:{recording_stripe.port}") as membership:
        level = await membership.level(price_minor=7500)
        joined, me = await active_member(membership, level=level)
        membership_id = joined["membership"]["id"]
        first = await membership.client.post(f"/me/memberships/{membership_id}/renewal", headers=me)
        renamed = {"name": f"{level['name']} (renamed)"}  # the same price, another product name
        edited = await membership.client.patch(f"/levels/{level['id']}", json=renamed, headers=OPERATOR)
        assert edited.status_code == 200, edited.text
        second = await membership.client.post(f"/me/memberships/{membership_id}/renewal", headers=me)
        assert (first.status_code, second.status_code) == (200, 200), second.text
        keys = keys_sent(recording_stripe, f"checkout:renewal:{membership_id}:")
        assert len(keys) == 2
        assert keys[0] != keys[1]


async def test_the_same_checkout_asked_twice_carries_the_same_key(database: str, recording_stripe: TcpProxy) -> None:
    gateway = StripeGateway(settings_for(database, stripe_api_base=f"http://127.0.0.1:{recording_stripe.port}"))
    level = Level(uuid4(), "Individual", 7500, "usd", Term.ANNUAL)
    request = {
        "kind": "renewal",
        "membership_id": uuid4(),
        "member": Member(uuid4(), "Ada Lovelace", "ada@example.org"),
        "level": level,
        "amount_minor": 7500,
        "auto_renew": False,
        "expires_at": datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1),
        "customer_id": None,
    }
    await gateway.checkout(**request)  # type: ignore[arg-type]
    await gateway.checkout(**request)  # type: ignore[arg-type]
    later = request["expires_at"] + timedelta(hours=1)  # type: ignore[operator]
    await gateway.checkout(**(request | {"expires_at": later}))  # type: ignore[arg-type]
    keys = keys_sent(recording_stripe, f"checkout:renewal:{request['membership_id']}:")
    assert len(keys) == 3
    assert keys[0] == keys[1]
    assert keys[2] != keys[0]

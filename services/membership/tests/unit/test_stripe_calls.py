"""How membership calls Stripe, against in-memory fakes: never with a unit of work open (no
connection or row lock held while Stripe answers), never recording what Stripe did not do, and
with idempotency keys made of our ids and a digest of the parameters."""

from uuid import uuid4

import pytest

from convene_service.payments import PaymentProviderUnavailable, idempotency_key
from membership.domain.errors import Conflict
from membership.domain.model import Level, LevelKind, MembershipStatus, Term
from membership.service_layer import joining, levels, self_service

from .fakes import World, world
from .test_self_service import CTX, member_of

S = MembershipStatus


async def gold(w: World) -> Level:
    return await levels.create_level(
        w.deps,
        name="Gold",
        price_minor=20000,
        currency="usd",
        term=Term.ANNUAL,
        kind=LevelKind.INDIVIDUAL,
        seat_count=None,
        description="",
    )


async def test_no_unit_of_work_is_open_while_any_use_case_waits_on_stripe() -> None:
    w = world()
    subscribed, one_time, upper = await member_of(w, subscription="sub_test_1"), await member_of(w), await gold(w)
    await self_service.stop_auto_renew(w.deps, subscribed.member_id, subscribed.id)
    await self_service.change_level(w.deps, CTX, subscribed.member_id, subscribed.id, upper.id)
    await self_service.change_level(w.deps, CTX, one_time.member_id, one_time.id, upper.id)  # a checkout first
    await joining.start_renewal(w.deps, one_time.member_id, one_time.id)
    w.store.customers[one_time.member_id] = "cus_test_1"
    await self_service.portal_url(w.deps, one_time.member_id)
    await joining.join(
        w.deps,
        CTX,
        name="Grace",
        email="grace@example.org",
        level_id=upper.id,
        auto_renew=False,
        organization_name=None,
    )
    assert w.stripe.units_open_at_calls == [0] * 6


async def test_a_subscription_level_change_stripe_refuses_changes_nothing() -> None:
    w = world()
    m, upper = await member_of(w, subscription="sub_test_1"), await gold(w)
    w.stripe.fail_with = PaymentProviderUnavailable("stripe is down")
    with pytest.raises(PaymentProviderUnavailable):
        await self_service.change_level(w.deps, CTX, m.member_id, m.id, upper.id)
    assert w.store.memberships[m.id].level_id == m.level_id
    assert w.store.outbox == []


async def test_a_level_change_of_a_membership_that_is_not_active_is_refused_before_stripe() -> None:
    w = world()
    m, upper = await member_of(w, subscription="sub_test_1"), await gold(w)
    w.store.memberships[m.id].status = S.PAST_DUE
    with pytest.raises(Conflict, match="past_due membership cannot change level"):
        await self_service.change_level(w.deps, CTX, m.member_id, m.id, upper.id)
    assert w.stripe.price_changes == []


def test_a_key_is_our_ids_and_a_digest_of_the_parameters() -> None:
    membership = uuid4()
    params = {"mode": "payment", "expires_at": 1_800_000_000, "metadata": {"membership_id": str(membership)}}
    key = idempotency_key("checkout", "renewal", membership, params=params)
    assert key.startswith(f"checkout:renewal:{membership}:")
    assert key == idempotency_key("checkout", "renewal", membership, params=dict(reversed(params.items())))
    assert key != idempotency_key("checkout", "renewal", membership, params=params | {"expires_at": 1_800_000_060})
    assert key != idempotency_key("checkout", "join", membership, params=params)
    assert len(key) <= 255  # Stripe's limit

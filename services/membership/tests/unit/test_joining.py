"""Joining (M2) and offline dues (M11) against in-memory fakes: what is stored, what is
published, what is refused."""

from datetime import timedelta
from uuid import uuid4

import pytest

from membership.domain.errors import Conflict, Invalid
from membership.domain.model import Level, LevelKind, MembershipStatus, Term
from membership.service_layer import joining, levels
from membership.service_layer.events import Context

from .fakes import World, world

S = MembershipStatus
CTX = Context(uuid4())


async def a_level(w: World, price: int = 7500, **kw: object) -> Level:
    fields: dict[str, object] = {
        "name": f"Individual {uuid4().hex[:6]}",
        "price_minor": price,
        "currency": "usd",
        "term": Term.ANNUAL,
        "kind": LevelKind.INDIVIDUAL,
        "seat_count": None,
        "description": "",
    } | kw
    return await levels.create_level(w.deps, **fields)  # type: ignore[arg-type]


async def apply_for(w: World, level: Level, *, auto_renew: bool = False) -> joining.Joined:
    return await joining.join(
        w.deps,
        CTX,
        name="Ada",
        email="ada@example.org",
        level_id=level.id,
        auto_renew=auto_renew,
        organization_name=None,
    )


async def test_joining_leaves_a_pending_membership_and_a_checkout_for_the_dues() -> None:
    w = world()
    level = await a_level(w)
    joined = await apply_for(w, level, auto_renew=True)
    assert joined.membership.status is S.PENDING
    assert joined.checkout_url == "https://checkout.stripe.test/1"
    [checkout] = w.stripe.checkouts
    assert (checkout["kind"], checkout["amount_minor"], checkout["auto_renew"]) == ("join", 7500, True)
    assert checkout["expires_at"] == w.clock.now + timedelta(minutes=w.deps.settings.checkout_expires_minutes)
    stored = w.store.memberships[joined.membership.id]
    assert stored.status is S.PENDING
    assert w.store.checkout_sessions[stored.id] == "cs_test_1"
    assert w.event_types() == ["membership.member_joined"]


async def test_a_second_application_by_the_same_address_reuses_the_member() -> None:
    w = world()
    level = await a_level(w)
    for _ in range(2):
        await apply_for(w, level)
    assert len(w.store.members) == 1
    assert len(w.store.memberships) == 2


async def test_a_free_level_activates_at_once_without_a_checkout() -> None:
    w = world()
    level = await a_level(w, price=0)
    joined = await apply_for(w, level)
    assert joined.checkout_url is None
    assert w.store.memberships[joined.membership.id].status is S.ACTIVE
    assert w.stripe.checkouts == []
    assert w.event_types() == ["membership.member_joined", "membership.activated"]


async def test_an_organizational_level_needs_the_organizations_name_and_nothing_is_kept() -> None:
    w = world()
    level = await a_level(w, kind=LevelKind.ORGANIZATIONAL, seat_count=5)
    with pytest.raises(Invalid) as refused:
        await apply_for(w, level)
    assert refused.value.field == "organization_name"
    assert w.store.members == {}
    assert w.stripe.checkouts == []


async def test_an_unknown_or_retired_level_is_refused() -> None:
    w = world()
    level = await a_level(w)
    await levels.retire_level(w.deps, level.id)
    with pytest.raises(Invalid):
        await apply_for(w, level)


async def test_two_levels_cannot_share_a_name() -> None:
    w = world()
    await a_level(w, name="Gold")
    with pytest.raises(Conflict) as refused:
        await a_level(w, name="Gold")
    assert refused.value.field == "name"


async def test_an_offline_payment_activates_a_new_membership_then_renews_it() -> None:
    w = world()
    level = await a_level(w)
    paid = w.clock.now
    first = await joining.record_offline_payment(
        w.deps,
        CTX,
        name="Grace",
        email="grace@example.org",
        level_id=level.id,
        amount_minor=7500,
        currency="usd",
        method="cheque",
        reference="CHQ-1",
        paid_at=paid,
        membership_id=None,
    )
    assert first.status is S.ACTIVE
    assert first.period_end is not None
    again = await joining.record_offline_payment(
        w.deps,
        CTX,
        name="Grace",
        email="grace@example.org",
        level_id=level.id,
        amount_minor=7500,
        currency="usd",
        method="cheque",
        reference="CHQ-2",
        paid_at=paid,
        membership_id=first.id,
    )
    assert again.period_end is not None
    assert again.period_end > first.period_end
    assert [p["kind"] for p in w.store.payments.values()] == ["join", "renewal"]
    assert w.event_types() == ["membership.activated", "membership.renewed"]


async def test_an_offline_payment_reference_is_recorded_once_and_a_wrong_currency_refused() -> None:
    w = world()
    level = await a_level(w)
    details = {
        "name": "Grace",
        "email": "grace@example.org",
        "level_id": level.id,
        "amount_minor": 7500,
        "method": "cheque",
        "reference": "CHQ-1",
        "paid_at": w.clock.now,
        "membership_id": None,
    }
    await joining.record_offline_payment(w.deps, CTX, currency="usd", **details)  # type: ignore[arg-type]
    with pytest.raises(Conflict):
        await joining.record_offline_payment(w.deps, CTX, currency="usd", **details)  # type: ignore[arg-type]
    with pytest.raises(Invalid) as refused:
        await joining.record_offline_payment(w.deps, CTX, currency="eur", **details | {"reference": "CHQ-2"})  # type: ignore[arg-type]
    assert refused.value.field == "currency"
    assert len(w.store.payments) == 1

"""A signed-in member's own memberships (M5, M6, M9) against in-memory fakes: automatic renewal,
seats, and the refusals that keep others' memberships out of reach."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from convene_service.payments import PaymentProviderUnavailable
from membership.domain.errors import Conflict, NotFound
from membership.domain.model import Level, LevelKind, Membership, MembershipStatus, Term
from membership.service_layer import joining, levels, seats, self_service
from membership.service_layer.events import Context

from .fakes import World, world

S = MembershipStatus
CTX = Context(uuid4())


async def member_of(w: World, *, seat_count: int | None = None, subscription: str | None = None) -> Membership:
    kind = LevelKind.INDIVIDUAL if seat_count is None else LevelKind.ORGANIZATIONAL
    level: Level = await levels.create_level(
        w.deps,
        name=f"Level {uuid4().hex[:6]}",
        price_minor=7500,
        currency="usd",
        term=Term.ANNUAL,
        kind=kind,
        seat_count=seat_count,
        description="",
    )
    membership = await joining.record_offline_payment(
        w.deps,
        CTX,
        name="Ada",
        email=f"ada-{uuid4().hex[:6]}@example.org",
        level_id=level.id,
        amount_minor=7500,
        currency="usd",
        method="cheque",
        reference=f"CHQ-{uuid4()}",
        paid_at=w.clock.now,
        membership_id=None,
    )
    if subscription:
        stored = w.store.memberships[membership.id]
        stored.stripe_subscription_id, stored.auto_renew = subscription, True
    if seat_count is not None:
        w.store.memberships[membership.id].organization_name = "Navy"
    w.store.outbox.clear()
    return w.store.memberships[membership.id]


async def test_stopping_auto_renew_tells_stripe_and_keeps_the_paid_period() -> None:
    w = world()
    m = await member_of(w, subscription="sub_test_1")
    stopped = await self_service.stop_auto_renew(w.deps, m.member_id, m.id)
    assert stopped.auto_renew is False
    assert w.store.memberships[m.id].auto_renew is False
    assert w.store.memberships[m.id].status is S.ACTIVE
    assert w.store.memberships[m.id].period_end == m.period_end
    assert w.stripe.stopped == [("sub_test_1", m.id)]
    with pytest.raises(Conflict):  # a second time: nothing renews any more
        await self_service.stop_auto_renew(w.deps, m.member_id, m.id)


async def test_when_stripe_does_not_answer_auto_renew_stays_on() -> None:
    w = world()
    m = await member_of(w, subscription="sub_test_1")
    w.stripe.fail_with = PaymentProviderUnavailable("stripe is down")
    with pytest.raises(PaymentProviderUnavailable):
        await self_service.stop_auto_renew(w.deps, m.member_id, m.id)
    assert w.store.memberships[m.id].auto_renew is True


async def test_another_members_membership_is_not_found_never_forbidden() -> None:
    w = world()
    m = await member_of(w, subscription="sub_test_1")
    with pytest.raises(NotFound):
        await self_service.stop_auto_renew(w.deps, uuid4(), m.id)
    with pytest.raises(NotFound):
        await seats.list_seats(w.deps, uuid4(), m.id)
    assert w.stripe.stopped == []


async def test_manual_renewal_opens_a_checkout_for_the_next_period() -> None:
    w = world()
    m = await member_of(w)
    url = await joining.start_renewal(w.deps, m.member_id, m.id)
    [checkout] = w.stripe.checkouts
    assert url == "https://checkout.stripe.test/1"
    assert (checkout["kind"], checkout["amount_minor"]) == ("renewal", 7500)
    assert m.period_end is not None
    assert checkout["metadata"] == {"period_end": m.period_end.isoformat()}


async def test_seats_are_assigned_up_to_the_levels_count_once_per_person_and_freed() -> None:
    w = world()
    m = await member_of(w, seat_count=2)
    grace = await seats.assign_seat(w.deps, CTX, m.member_id, m.id, "grace@navy.example", "Grace Hopper")
    with pytest.raises(Conflict) as twice:
        await seats.assign_seat(w.deps, CTX, m.member_id, m.id, "grace@navy.example", "Grace Hopper")
    assert twice.value.field == "email"
    await seats.assign_seat(w.deps, CTX, m.member_id, m.id, "alan@navy.example", "Alan Turing")
    with pytest.raises(Conflict):
        await seats.assign_seat(w.deps, CTX, m.member_id, m.id, "ada@navy.example", "Ada")
    held = await seats.list_seats(w.deps, m.member_id, m.id)
    assert [s.email for s in held] == ["grace@navy.example", "alan@navy.example"]
    await seats.remove_seat(w.deps, CTX, m.member_id, m.id, grace.id)
    assert [s.email for s in await seats.list_seats(w.deps, m.member_id, m.id)] == ["alan@navy.example"]
    with pytest.raises(NotFound):
        await seats.remove_seat(w.deps, CTX, m.member_id, m.id, grace.id)
    assert w.event_types() == ["membership.seat_assigned", "membership.seat_assigned", "membership.seat_removed"]
    assigned = w.store.outbox[0].payload
    assert (assigned.email, assigned.organization_name) == ("grace@navy.example", "Navy")  # type: ignore[attr-defined]


async def test_an_individual_or_lapsed_membership_has_no_seats_to_give() -> None:
    w = world()
    individual = await member_of(w)
    with pytest.raises(Conflict):
        await seats.assign_seat(w.deps, CTX, individual.member_id, individual.id, "grace@navy.example", "Grace")
    organization = await member_of(w, seat_count=2)
    w.store.memberships[organization.id].status = S.LAPSED
    with pytest.raises(Conflict):
        await seats.assign_seat(w.deps, CTX, organization.member_id, organization.id, "grace@navy.example", "Grace")
    assert w.store.seats == {}


async def test_a_level_change_down_applies_at_once_with_the_credit() -> None:
    w = world(now=datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
    m = await member_of(w)
    cheaper = await levels.create_level(
        w.deps,
        name="Student",
        price_minor=2500,
        currency="usd",
        term=Term.ANNUAL,
        kind=LevelKind.INDIVIDUAL,
        seat_count=None,
        description="",
    )
    w.clock.now += timedelta(days=1)
    change = await self_service.change_level(w.deps, CTX, m.member_id, m.id, cheaper.id)
    assert change.checkout_url is None
    assert -5000 < change.prorated_minor < -4900  # the unused part of the difference, a credit
    assert w.store.memberships[m.id].level_id == cheaper.id
    assert w.event_types() == ["membership.level_changed"]

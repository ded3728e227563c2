"""The dues calendar's pass (M4) against in-memory fakes: reminders before the period ends,
grace after it, lapse after that, each on its day and once."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from membership.domain.model import LevelKind, Membership, MembershipStatus, Term
from membership.service_layer import joining, levels
from membership.service_layer.events import Context
from membership.service_layer.lifecycle import run_lifecycle

from .fakes import World, world

S = MembershipStatus
PAID = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


async def member_paid_offline(w: World, *, auto_renew: bool = False) -> Membership:
    level = await levels.create_level(
        w.deps,
        name="Individual",
        price_minor=7500,
        currency="usd",
        term=Term.ANNUAL,
        kind=LevelKind.INDIVIDUAL,
        seat_count=None,
        description="",
    )
    membership = await joining.record_offline_payment(
        w.deps,
        Context(uuid4()),
        name="Ada",
        email="ada@example.org",
        level_id=level.id,
        amount_minor=7500,
        currency="usd",
        method="cheque",
        reference=f"CHQ-{uuid4()}",
        paid_at=PAID,
        membership_id=None,
    )
    if auto_renew:
        w.store.memberships[membership.id].auto_renew = True
    w.store.outbox.clear()
    return membership


def reminders(w: World) -> list[int]:
    return [e.payload.days_before for e in w.store.outbox if e.event_type == "membership.expiring_soon"]  # type: ignore[attr-defined]


async def test_reminders_go_out_on_their_days_once_each() -> None:
    w = world()
    m = await member_paid_offline(w)
    assert m.period_end is not None
    end = m.period_end
    assert (await run_lifecycle(w.deps, end - timedelta(days=31))).reminded == 0
    assert (await run_lifecycle(w.deps, end - timedelta(days=30))).reminded == 1
    assert (await run_lifecycle(w.deps, end - timedelta(days=29))).reminded == 0  # not repeated
    await run_lifecycle(w.deps, end - timedelta(days=7))
    await run_lifecycle(w.deps, end - timedelta(days=1))
    assert reminders(w) == [30, 7, 1]


async def test_when_several_reminders_are_due_at_once_only_the_nearest_goes_out() -> None:
    w = world()
    m = await member_paid_offline(w)
    assert m.period_end is not None
    await run_lifecycle(w.deps, m.period_end - timedelta(days=5))  # 30 and 7 are both due
    await run_lifecycle(w.deps, m.period_end - timedelta(days=4))
    assert reminders(w) == [7]


async def test_an_unpaid_period_end_starts_the_grace_and_the_grace_end_lapses_it() -> None:
    w = world(grace_days=30)
    m = await member_paid_offline(w)
    assert m.period_end is not None
    end = m.period_end
    assert (await run_lifecycle(w.deps, end - timedelta(seconds=1))).in_grace == 0
    report = await run_lifecycle(w.deps, end)
    assert (report.in_grace, report.lapsed) == (1, 0)
    in_grace = w.store.memberships[m.id]
    assert in_grace.status is S.IN_GRACE
    assert in_grace.grace_ends_at == end + timedelta(days=30)
    assert (await run_lifecycle(w.deps, end + timedelta(days=30) - timedelta(seconds=1))).lapsed == 0
    assert (await run_lifecycle(w.deps, end + timedelta(days=30))).lapsed == 1
    assert w.store.memberships[m.id].status is S.LAPSED
    assert [t for t in w.event_types() if t != "membership.expiring_soon"] == [
        "membership.in_grace",
        "membership.lapsed",
    ]
    assert (await run_lifecycle(w.deps, end + timedelta(days=90))).lapsed == 0  # lapsed is final


async def test_an_auto_renewing_member_waits_for_stripes_renewal_before_grace() -> None:
    w = world(auto_renew_settle_hours=48)
    m = await member_paid_offline(w, auto_renew=True)
    assert m.period_end is not None
    assert (await run_lifecycle(w.deps, m.period_end + timedelta(hours=47))).in_grace == 0
    assert (await run_lifecycle(w.deps, m.period_end + timedelta(hours=48))).in_grace == 1


async def test_a_pass_over_more_than_a_batch_moves_every_due_membership() -> None:
    w = world()
    first = await member_paid_offline(w)
    assert first.period_end is not None
    for _ in range(204):  # BATCH is 200: two transactions
        twin = Membership(uuid4(), first.member_id, first.level_id, S.ACTIVE, first.period_start, first.period_end)
        w.store.memberships[twin.id] = twin
    commits = w.store.commits
    report = await run_lifecycle(w.deps, first.period_end + timedelta(days=1))
    assert report.in_grace == 205
    assert all(m.status is S.IN_GRACE for m in w.store.memberships.values())
    assert w.store.commits - commits == 1 + 2 + 1  # reminders, two grace batches, lapses

"""The dues calendar (M4): reminders before the period ends, grace after it, lapse after that.

`run_lifecycle(deps, now)` does whatever is due at `now`; the scheduler calls it every minute and
tests call it with the time they need. Each membership is taken with FOR UPDATE SKIP LOCKED and
each reminder is recorded in `reminders_sent`, so two instances running at once still move each
membership once and send each reminder once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import uuid4

from convene_contracts import Event
from convene_contracts.membership import MembershipExpiringSoon, MembershipExpiringSoonPayload
from membership.domain.model import Level, Member, Membership
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context, announce, facts
from membership.service_layer.unit_of_work import UnitOfWork

BATCH = 200


@dataclass
class LifecycleReport:
    reminded: int = 0
    in_grace: int = 0
    lapsed: int = 0


async def run_lifecycle(deps: Deps, now: datetime) -> LifecycleReport:
    report = LifecycleReport()
    report.reminded = await _remind(deps, now)
    settle = deps.settings.auto_renew_settle_hours
    report.in_grace = await _each_due(deps, _GRACE_DUE, (now, settle), lambda m: m.start_grace(now, _grace(deps)))
    report.lapsed = await _each_due(deps, _LAPSE_DUE, (now,), lambda m: m.lapse(now))
    return report


def _grace(deps: Deps) -> timedelta:
    return timedelta(days=deps.settings.grace_days)


# An auto-renewing membership waits a little past its period end for Stripe's renewal invoice
# before it counts as unpaid, so members who pay automatically never hear "you are in grace".
_GRACE_DUE = """
    SELECT id FROM memberships
    WHERE status IN ('active', 'past_due') AND period_end IS NOT NULL
      AND period_end + CASE WHEN auto_renew THEN make_interval(hours => $2) ELSE interval '0' END <= $1
    ORDER BY period_end LIMIT {batch} FOR UPDATE SKIP LOCKED"""
_LAPSE_DUE = """
    SELECT id FROM memberships WHERE status = 'in_grace' AND grace_ends_at <= $1
    ORDER BY grace_ends_at LIMIT {batch} FOR UPDATE SKIP LOCKED"""


async def _each_due(deps: Deps, query: str, args: tuple[object, ...], change: Callable[[Membership], None]) -> int:
    done = 0
    while True:
        async with UnitOfWork(deps.pool) as uow:
            ids = await uow.repo.conn.fetch(query.format(batch=BATCH), *args)
            events: list[Event] = []
            for row in ids:
                membership = await uow.repo.lock_membership(row["id"])
                assert membership is not None
                member, level = await _parties(uow, membership)
                change(membership)
                await uow.repo.save_membership(membership)
                events += announce(membership, member, level, Context(uuid4()))
            await uow.commit(events)
        done += len(ids)
        if len(ids) < BATCH:
            return done


async def _remind(deps: Deps, now: datetime) -> int:
    """One reminder per offset and period; when several offsets are due at once (a membership
    that started close to its end), only the nearest is sent and the others are marked done."""
    offsets = sorted(deps.settings.reminder_days)
    if not offsets:
        return 0
    sent = 0
    async with UnitOfWork(deps.pool) as uow:
        rows = await uow.repo.conn.fetch(
            """SELECT id FROM memberships
               WHERE status IN ('active', 'past_due')
                 AND period_end > $1 AND period_end <= $1 + make_interval(days => $2)
               FOR UPDATE SKIP LOCKED""",
            now,
            offsets[-1],
        )
        events: list[Event] = []
        for row in rows:
            membership = await uow.repo.lock_membership(row["id"])
            assert membership is not None
            assert membership.period_end is not None
            due = [d for d in offsets if now >= membership.period_end - timedelta(days=d)]
            recorded = await uow.repo.conn.fetch(
                """INSERT INTO reminders_sent (membership_id, period_end, days_before)
                   SELECT $1, $2, unnest($3::int[]) ON CONFLICT DO NOTHING RETURNING days_before""",
                membership.id,
                membership.period_end,
                due,
            )
            if min(due) not in {r["days_before"] for r in recorded}:
                continue  # the nearest reminder went out already
            member, level = await _parties(uow, membership)
            events.append(
                MembershipExpiringSoon(
                    **Context(uuid4()).envelope(),
                    payload=MembershipExpiringSoonPayload(
                        **facts(membership, member, level),
                        period_end=membership.period_end,
                        days_before=min(due),
                        auto_renew=membership.auto_renew,
                    ),
                )
            )
            sent += 1
        await uow.commit(events)
    return sent


async def _parties(uow: UnitOfWork, membership: Membership) -> tuple[Member, Level]:
    member = await uow.repo.get_member(membership.member_id)
    level = await uow.repo.get_level(membership.level_id, include_retired=True)
    assert member is not None
    assert level is not None
    return member, level

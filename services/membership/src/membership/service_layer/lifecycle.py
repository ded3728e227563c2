"""The dues calendar (M4): reminders before the period ends, grace after it, lapse after that.

`run_lifecycle(deps, now)` does whatever is due at `now`; `entrypoints/jobs.py` calls it every
interval and tests call it with the time they need. The repository takes each due membership
with FOR UPDATE SKIP LOCKED and records each reminder once, so two instances running at once
still move each membership once and send each reminder once.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from convene_contracts import Event
from convene_contracts.membership import MembershipExpiringSoon, MembershipExpiringSoonPayload
from membership.domain.model import Membership
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context, announce, facts
from membership.service_layer.lookups import parties
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
    report.in_grace = await _each_due(
        deps,
        lambda uow: uow.memberships.lock_due_for_grace(now, settle, BATCH),
        lambda m: m.start_grace(now, _grace(deps)),
    )
    report.lapsed = await _each_due(
        deps, lambda uow: uow.memberships.lock_due_to_lapse(now, BATCH), lambda m: m.lapse(now)
    )
    return report


def _grace(deps: Deps) -> timedelta:
    return timedelta(days=deps.settings.grace_days)


async def _each_due(
    deps: Deps, due: Callable[[UnitOfWork], Awaitable[list[UUID]]], change: Callable[[Membership], None]
) -> int:
    """Changes every due membership, a batch per transaction, until a batch comes back short."""
    done = 0
    while True:
        async with deps.uow() as uow:
            ids = await due(uow)
            events: list[Event] = []
            for membership_id in ids:
                membership = await uow.memberships.lock(membership_id)
                assert membership is not None
                member, level = await parties(uow, membership)
                change(membership)
                await uow.memberships.save(membership)
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
    async with deps.uow() as uow:
        ids = await uow.memberships.lock_due_for_reminder(now, offsets[-1])
        events: list[Event] = []
        for membership_id in ids:
            membership = await uow.memberships.lock(membership_id)
            assert membership is not None
            assert membership.period_end is not None
            due = [d for d in offsets if now >= membership.period_end - timedelta(days=d)]
            recorded = await uow.memberships.record_reminders(membership.id, membership.period_end, due)
            if min(due) not in recorded:
                continue  # the nearest reminder went out already
            member, level = await parties(uow, membership)
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

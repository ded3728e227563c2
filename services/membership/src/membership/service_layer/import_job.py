"""One pass of the import job (M12): the next batch of a started import, applied in one
transaction with its events and with its rows marked done. A crash loses at most the batch in
flight, which the next pass applies again; a row already applied comes out unchanged, so the
import resumes where it stopped and a file imported twice changes nothing."""

from collections import Counter
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from convene_contracts import Event
from convene_contracts import membership as contract
from membership.domain.import_rows import Record, from_json
from membership.domain.model import CURRENT, Level, Member, Membership, Seat
from membership.domain.model import MembershipStatus as S
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context, facts
from membership.service_layer.import_plan import Held, Outcome, Wanted, level_named, outcome, wanted
from membership.service_layer.imports import keys_of
from membership.service_layer.unit_of_work import UnitOfWork

SUSPENDED = "suspended on the platform the member was imported from"


@dataclass(frozen=True)
class Pass:
    import_id: UUID | None  # None: no import waiting
    rows: int = 0
    finished: bool = False


async def import_next_batch(deps: Deps, batch: int) -> Pass:
    async with deps.uow() as uow:
        claimed = await uow.imports.claim(batch)
        if claimed is None:
            return Pass(None)
        found, rows = claimed
        importable = set(found["report"]["importable_rows"])
        records = [from_json(r) for r in rows]
        ctx = Context(correlation_id=found["id"])
        applied = Counter[str](found["applied"])
        events = await _apply(deps, uow, [r for r in records if r.row in importable], found, ctx, applied)
        left_out = sum(1 for r in records if r.row not in importable)  # refused, and the operator chose so
        if left_out:
            applied[Outcome.REFUSED] += left_out
        await uow.imports.mark_done(found["id"], [r.row for r in records], dict(applied), deps.clock())
        await uow.commit(events)
    return Pass(found["id"], len(records), found["done"] + len(records) >= found["total"])


async def _apply(
    deps: Deps, uow: UnitOfWork, records: list[Record], found: dict[str, Any], ctx: Context, applied: Counter[str]
) -> list[Event]:
    """The batch's writes go in a few statements (one per kind of write), not one per row."""
    levels = await uow.levels.all(include_retired=False)
    held = await uow.imports.held(keys_of(records))
    notify = bool(found["send_invitations"])
    now, zone = deps.clock(), deps.settings.zone
    events: list[Event] = []
    members: list[tuple[Member, str | None, bool]] = []
    memberships: list[tuple[Membership, str, bool]] = []
    for record in (r for r in records if not r.seat):
        level = level_named(levels, record.level_name)
        if level is None:  # retired or renamed since the dry run
            applied[Outcome.REFUSED] += 1
            continue
        want = wanted(record, level, zone, now)
        before = held[record.key]
        result = outcome(record, want, before)
        applied[result.value] += 1
        if result is Outcome.UNCHANGED:
            continue
        membership, member = _changed(record, want, before)
        members.append((member, record.source_id, before.member_id is None))
        memberships.append((membership, record.key, before.membership_id is None))
        held[record.key] = Held(
            member.id, member.name, membership.id, level.id, want.status, organization_name=record.organization
        )
        events += _published(membership, member, level, record, ctx, notify)
    await uow.imports.put_members(members)
    await uow.imports.put_memberships(memberships)
    seats: list[tuple[Record, Held, UUID, Seat]] = []
    for record in (r for r in records if r.seat):
        assert record.bundle_key is not None
        bundle = held[record.bundle_key]
        result = outcome(record, None, Held(), bundle)
        if result is Outcome.NEW and bundle.membership_id is None:
            result = Outcome.REFUSED  # its bundle's membership was not imported
        elif result is Outcome.NEW and bundle.membership_id is not None:
            seats.append((record, bundle, bundle.membership_id, Seat(uuid4(), record.email, record.name, now)))
        applied[result.value] += 1
    added = await uow.imports.add_seats([(membership_id, seat) for _, _, membership_id, seat in seats])
    events += [_seat_assigned(r, b, s, levels, ctx, notify) for r, b, _, s in seats if s.id in added]
    return events


def _changed(record: Record, want: Wanted, held: Held) -> tuple[Membership, Member]:
    member = Member(held.member_id or uuid4(), record.name, record.email)
    membership = Membership(
        held.membership_id or uuid4(),
        member.id,
        want.level.id,
        status=want.status,
        period_start=want.period_start,
        period_end=want.period_end,
        organization_name=record.organization,
    )
    return membership, member


def _published(m: Membership, member: Member, level: Level, record: Record, ctx: Context, notify: bool) -> list[Event]:
    """The event membership publishes for a membership in this state: conference learns who is a
    member, notifications writes to nobody unless the operator chose to send invitations. No money
    moved: an activation's amount is 0."""
    f, env = facts(m, member, level) | {"notify_member": notify}, ctx.envelope()
    if m.status in CURRENT:
        assert m.period_start is not None
        payload = contract.MembershipActivatedPayload(
            **f,
            period_start=m.period_start,
            period_end=m.period_end,
            amount_minor=0,
            currency=level.currency,
            auto_renew=False,
        )
        return [contract.MembershipActivated(**env, payload=payload)]
    if m.status is S.PENDING:
        joined = contract.MemberJoinedPayload(
            **f,
            amount_minor=level.price_minor,
            currency=level.currency,
            auto_renew=False,
            organization_name=record.organization,
        )
        return [contract.MemberJoined(**env, payload=joined)]
    if m.status is S.LAPSED:
        return [contract.MembershipLapsed(**env, payload=contract.MembershipFacts(**f))]
    cancelled = contract.MembershipCancelledPayload(**f, reason=SUSPENDED)
    return [contract.MembershipCancelled(**env, payload=cancelled)]


def _seat_assigned(record: Record, bundle: Held, seat: Seat, levels: list[Level], ctx: Context, notify: bool) -> Event:
    assert bundle.membership_id is not None
    assert bundle.member_id is not None
    assert bundle.level_id is not None
    level = next((lv for lv in levels if lv.id == bundle.level_id), None)
    payload = contract.SeatAssignedPayload(
        member_id=bundle.member_id,
        membership_id=bundle.membership_id,
        seat_id=seat.id,
        email=record.email,
        name=record.name,
        level_id=bundle.level_id,
        level_name=level.name if level else record.level_name,
        organization_name=bundle.organization_name or record.organization,
        notify_member=notify,
    )
    return contract.SeatAssigned(**ctx.envelope(), payload=payload)

"""What each imported row becomes (M12), decided the same way on the dry run and during the import:
the row's level by name, the membership's state and period, and whether it is new, updated or
unchanged next to what Convene holds already."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo

from membership.domain.calendar import add_months
from membership.domain.import_rows import Record, Refusal
from membership.domain.model import CURRENT, Level, LevelKind, Term
from membership.domain.model import MembershipStatus as S


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REFUSED = "refused"


@dataclass(frozen=True)
class Wanted:
    """The membership a (non-seat) row asks for."""

    level: Level
    status: S
    period_start: datetime | None
    period_end: datetime | None


@dataclass(frozen=True)
class Held:
    """What Convene holds for a row's key already (`Imports.held`)."""

    member_id: UUID | None = None
    member_name: str | None = None
    membership_id: UUID | None = None
    level_id: UUID | None = None
    status: S | None = None
    period_end: datetime | None = None
    organization_name: str | None = None
    seat_holders: frozenset[str] = frozenset()  # of the membership: addresses holding its seats
    member_email: str | None = None


@dataclass(frozen=True)
class ProposedLevel:
    name: str
    rows: int
    organizational: bool
    seat_count: int | None


def level_named(levels: list[Level], name: str) -> Level | None:
    wanted = name.strip().casefold()
    return next((lv for lv in levels if lv.name.strip().casefold() == wanted and not lv.retired), None)


def check_levels(
    records: list[Record], levels: list[Level], columns: dict[str, str]
) -> tuple[list[Record], list[Refusal], list[ProposedLevel]]:
    """The rules that need the association's levels: the level exists, a bundle's is
    organizational with seats enough, a renewing active membership has a renewal date."""
    kept: list[Record] = []
    refused: list[Refusal] = []
    missing: Counter[str] = Counter()
    bundle_sizes = Counter(r.bundle_id for r in records if r.seat)
    bundle_levels = {r.bundle_id: r.level_name for r in records if r.coordinator}
    organizational_missing: dict[str, int] = {}
    column = columns.get("level", "level")
    for record in records:
        if record.seat:
            kept.append(record)  # a seat takes its bundle's membership; the row's level is the bundle's
            continue
        level = level_named(levels, record.level_name)
        problem: tuple[str, str] | None = None
        if level is None:
            missing[record.level_name] += 1
            if record.coordinator:
                size = bundle_sizes[record.bundle_id]
                organizational_missing[record.level_name] = max(organizational_missing.get(record.level_name, 1), size)
            problem = (column, f"no level named {record.level_name!r} (create it, or rename the level in the file)")
        elif record.coordinator and level.kind is not LevelKind.ORGANIZATIONAL:
            problem = (column, f"a bundle's level must be organizational; {level.name!r} is for individuals")
        elif record.coordinator and (level.seat_count or 0) < bundle_sizes[record.bundle_id]:
            count = bundle_sizes[record.bundle_id]
            problem = (
                column,
                f"bundle {record.bundle_id} has {count} members; {level.name!r} has {level.seat_count} seats",
            )
        elif level.kind is LevelKind.ORGANIZATIONAL and not record.organization:
            problem = (columns.get("organization", "organization"), "an organizational level needs the organization")
        elif record.state in CURRENT and level.renews and record.renewal_due is None:
            problem = (
                columns.get("renewal_due", "renewal_due"),
                "an active membership that renews needs its renewal date",
            )
        if problem:
            refused.append(Refusal(record.row, *problem))
        else:
            kept.append(record)
    # A seat whose bundle's administrator was refused goes with it.
    refused_bundles = set(bundle_levels) - {r.bundle_id for r in kept if r.coordinator}
    final = []
    for record in kept:
        if record.seat and record.bundle_id in refused_bundles:
            refused.append(
                Refusal(record.row, columns.get("bundle_id", "bundle_id"), "its bundle's administrator row is refused")
            )
        else:
            final.append(record)
    proposals = [
        ProposedLevel(name, rows, name in organizational_missing, organizational_missing.get(name))
        for name, rows in sorted(missing.items())
    ]
    return final, sorted(refused, key=lambda r: r.row), proposals


def wanted(record: Record, level: Level, zone: ZoneInfo, now: datetime) -> Wanted:
    """Renewal due is the day the next period starts, at midnight in the association's zone: the
    dues calendar reminds, starts the grace and lapses from it as for any membership."""
    end = _midnight(record.renewal_due, zone) if record.renewal_due else None
    if level.term is Term.LIFETIME and record.state in CURRENT:
        end = None
    start = _midnight(record.member_since, zone) if record.member_since else None
    if end is not None and level.renews:
        start = add_months(end, -12 if level.term is Term.ANNUAL else -1, zone)
    if record.state in CURRENT and start is None:
        start = now
    if record.state is S.PENDING:
        start = end = None
    return Wanted(level, record.state, start, end)


def outcome(record: Record, want: Wanted | None, held: Held, seat_of: Held | None = None) -> Outcome:
    """New, updated or unchanged. A membership the dues calendar has moved on since (active to past
    due or in grace, same period) is unchanged: the import does not undo what time did."""
    if record.seat:
        if seat_of is None or seat_of.membership_id is None:
            return Outcome.NEW
        return Outcome.UNCHANGED if record.email in seat_of.seat_holders else Outcome.NEW
    assert want is not None
    if held.member_id is None:
        return Outcome.NEW
    same_state = held.status is want.status or (held.status in CURRENT and want.status in CURRENT)
    same = (
        held.membership_id is not None
        and held.member_name == record.name
        and held.member_email == record.email
        and held.level_id == want.level.id
        and same_state
        and held.period_end == want.period_end
        and held.organization_name == record.organization
    )
    return Outcome.UNCHANGED if same else Outcome.UPDATED


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone)

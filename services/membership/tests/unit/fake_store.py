"""The unit tier's database: one `FakeStore` of dictionaries that every fake unit of work of a
test shares, and the fake repositories of levels, members and memberships over it. They hand
out copies, so a change reaches the store only through `save`, as with Postgres."""

import copy
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from convene_contracts import Event
from membership.domain.errors import LevelNameTaken
from membership.domain.model import Level, Member, Membership, MembershipStatus

S = MembershipStatus
Row = dict[str, Any]


@dataclass
class FakeStore:
    levels: dict[UUID, Level] = field(default_factory=dict)
    members: dict[UUID, Member] = field(default_factory=dict)
    customers: dict[UUID, str] = field(default_factory=dict)  # member id -> Stripe customer
    erased: dict[UUID, datetime] = field(default_factory=dict)
    forgotten_events_of: set[UUID] = field(default_factory=set)  # published outbox rows deleted
    memberships: dict[UUID, Membership] = field(default_factory=dict)
    checkout_sessions: dict[UUID, str] = field(default_factory=dict)
    reminders: set[tuple[UUID, datetime, int]] = field(default_factory=set)
    payments: dict[str, Row] = field(default_factory=dict)  # by reference, unique as in the table
    stripe_events: set[str] = field(default_factory=set)
    seats: dict[UUID, Row] = field(default_factory=dict)  # seat id -> membership_id, seat, removed_at
    links: dict[bytes, Row] = field(default_factory=dict)
    exports: dict[UUID, Row] = field(default_factory=dict)  # request id -> member_id, parts
    sessions: dict[bytes, Row] = field(default_factory=dict)
    staff: dict[UUID, Any] = field(default_factory=dict)  # StaffMember by id
    credentials: dict[UUID, Any] = field(default_factory=dict)  # Credential by id
    imports: dict[UUID, Row] = field(default_factory=dict)  # member imports (M12) with their rows
    source_ids: dict[UUID, str] = field(default_factory=dict)  # member id -> the source's id
    import_keys: dict[UUID, str] = field(default_factory=dict)  # membership id -> its import key
    outbox: list[Event] = field(default_factory=list)  # every event committed, in order
    commits: int = 0


class FakeLevels:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def _name_taken(self, name: str, by_other_than: UUID) -> bool:
        return any(level.name == name and level.id != by_other_than for level in self.store.levels.values())

    async def add(self, level: Level) -> None:
        if self._name_taken(level.name, level.id):
            raise LevelNameTaken(level.name)
        self.store.levels[level.id] = level

    async def update(self, level_id: UUID, changes: dict[str, Any]) -> Level | None:
        level = self.store.levels.get(level_id)
        if level is None:
            return None
        if "name" in changes and self._name_taken(changes["name"], level_id):
            raise LevelNameTaken(changes["name"])
        self.store.levels[level_id] = replace(level, **changes)
        return self.store.levels[level_id]

    async def retire(self, level_id: UUID, at: datetime) -> Level | None:
        level = self.store.levels.get(level_id)
        if level is None:
            return None
        self.store.levels[level_id] = replace(level, retired=True)
        return self.store.levels[level_id]

    async def get(self, level_id: UUID, *, include_retired: bool = False) -> Level | None:
        level = self.store.levels.get(level_id)
        return level if level is not None and (include_retired or not level.retired) else None

    async def all(self, *, include_retired: bool) -> list[Level]:
        found = [level for level in self.store.levels.values() if include_retired or not level.retired]
        return sorted(found, key=lambda level: (level.price_minor, level.name))


class FakeMembers:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def by_email(self, email: str) -> Member | None:
        return next((m for m in self.store.members.values() if m.email == email), None)

    async def get(self, member_id: UUID) -> Member | None:
        return self.store.members.get(member_id)

    async def email_of(self, member_id: UUID) -> str | None:
        member = self.store.members.get(member_id)
        return None if member is None else member.email

    async def add(self, member: Member) -> None:
        assert await self.by_email(member.email) is None, "members.email is unique"
        self.store.members[member.id] = member

    async def stripe_customer_of(self, member_id: UUID) -> str | None:
        return self.store.customers.get(member_id)

    async def set_stripe_customer(self, member_id: UUID, customer_id: str) -> None:
        self.store.customers.setdefault(member_id, customer_id)

    async def lock_for_erasure(self, member_id: UUID) -> str | None:
        if member_id in self.store.erased:
            return None
        return await self.email_of(member_id)

    async def pseudonymize(self, member_id: UUID, name: str, email: str, at: datetime) -> None:
        self.store.members[member_id] = Member(member_id, name, email)
        self.store.erased[member_id] = at

    async def forget_published_events(self, member_id: UUID, mentioning: str) -> None:
        self.store.forgotten_events_of.add(member_id)


class FakeMemberships:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def _load(self, membership_id: UUID) -> Membership | None:
        found = self.store.memberships.get(membership_id)
        return None if found is None else copy.deepcopy(found)

    async def add(self, m: Membership, checkout_session_id: str | None = None) -> None:
        self.store.memberships[m.id] = replace(m, events=[])
        if checkout_session_id:
            self.store.checkout_sessions[m.id] = checkout_session_id

    async def set_checkout_session(self, membership_id: UUID, session_id: str) -> None:
        self.store.checkout_sessions[membership_id] = session_id

    async def get(self, membership_id: UUID) -> Membership | None:
        return self._load(membership_id)

    async def lock(self, membership_id: UUID) -> Membership | None:
        return self._load(membership_id)

    async def lock_by_subscription(self, subscription_id: str) -> Membership | None:
        found = [m.id for m in self.store.memberships.values() if m.stripe_subscription_id == subscription_id]
        return self._load(found[0]) if found else None

    async def save(self, m: Membership) -> None:
        assert m.id in self.store.memberships, "save updates a membership that was added"
        self.store.memberships[m.id] = replace(m, events=[])

    async def of_member(self, member_id: UUID) -> list[Membership]:
        return [copy.deepcopy(m) for m in self.store.memberships.values() if m.member_id == member_id]

    async def forget_organization(self, member_id: UUID) -> None:
        for m in self.store.memberships.values():
            if m.member_id == member_id:
                m.organization_name = None

    async def lock_due_for_grace(self, now: datetime, settle_hours: int, batch: int) -> list[UUID]:
        def due(m: Membership) -> bool:
            settle = timedelta(hours=settle_hours) if m.auto_renew else timedelta(0)
            return m.status in (S.ACTIVE, S.PAST_DUE) and m.period_end is not None and m.period_end + settle <= now

        found = sorted((m for m in self.store.memberships.values() if due(m)), key=lambda m: m.period_end or now)
        return [m.id for m in found[:batch]]

    async def lock_due_to_lapse(self, now: datetime, batch: int) -> list[UUID]:
        found = [
            m
            for m in self.store.memberships.values()
            if m.status is S.IN_GRACE and m.grace_ends_at is not None and m.grace_ends_at <= now
        ]
        return [m.id for m in sorted(found, key=lambda m: m.grace_ends_at or now)[:batch]]

    async def lock_due_for_reminder(self, now: datetime, within_days: int) -> list[UUID]:
        return [
            m.id
            for m in self.store.memberships.values()
            if m.status in (S.ACTIVE, S.PAST_DUE)
            and m.period_end is not None
            and now < m.period_end <= now + timedelta(days=within_days)
        ]

    async def record_reminders(self, membership_id: UUID, period_end: datetime, days_before: list[int]) -> set[int]:
        new = {d for d in days_before if (membership_id, period_end, d) not in self.store.reminders}
        self.store.reminders |= {(membership_id, period_end, d) for d in new}
        return new

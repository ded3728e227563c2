"""Memberships: their states and periods, and what the dues calendar finds due (M2-M4).

The calendar's queries take memberships with FOR UPDATE SKIP LOCKED and record each reminder in
`reminders_sent`, so two instances running at once still move each membership once and send
each reminder once."""

from datetime import datetime
from uuid import UUID

import asyncpg

from membership.adapters.transaction import Transaction
from membership.domain.model import Membership, MembershipStatus

# An auto-renewing membership waits a little past its period end for Stripe's renewal invoice
# before it counts as unpaid, so members who pay automatically never hear "you are in grace".
GRACE_DUE = """
    SELECT id FROM memberships
    WHERE status IN ('active', 'past_due') AND period_end IS NOT NULL
      AND period_end + CASE WHEN auto_renew THEN make_interval(hours => $2) ELSE interval '0' END <= $1
    ORDER BY period_end LIMIT {batch} FOR UPDATE SKIP LOCKED"""
LAPSE_DUE = """
    SELECT id FROM memberships WHERE status = 'in_grace' AND grace_ends_at <= $1
    ORDER BY grace_ends_at LIMIT {batch} FOR UPDATE SKIP LOCKED"""


def membership_of(row: asyncpg.Record) -> Membership:
    return Membership(
        id=row["id"],
        member_id=row["member_id"],
        level_id=row["level_id"],
        status=MembershipStatus(row["status"]),
        period_start=row["period_start"],
        period_end=row["period_end"],
        auto_renew=row["auto_renew"],
        grace_ends_at=row["grace_ends_at"],
        organization_name=row["organization_name"],
        stripe_subscription_id=row["stripe_subscription_id"],
    )


class SqlMemberships:
    def __init__(self, conn: Transaction) -> None:
        self.conn = conn

    async def add(self, m: Membership, checkout_session_id: str | None = None) -> None:
        await self.conn.execute(
            """INSERT INTO memberships (id, member_id, level_id, status, period_start, period_end, auto_renew,
                                        organization_name, stripe_checkout_session_id)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""",
            m.id,
            m.member_id,
            m.level_id,
            m.status.value,
            m.period_start,
            m.period_end,
            m.auto_renew,
            m.organization_name,
            checkout_session_id,
        )

    async def set_checkout_session(self, membership_id: UUID, session_id: str) -> None:
        await self.conn.execute(
            "UPDATE memberships SET stripe_checkout_session_id = $2 WHERE id = $1", membership_id, session_id
        )

    async def get(self, membership_id: UUID) -> Membership | None:
        row = await self.conn.fetchrow("SELECT * FROM memberships WHERE id = $1", membership_id)
        return None if row is None else membership_of(row)

    async def lock(self, membership_id: UUID) -> Membership | None:
        row = await self.conn.fetchrow("SELECT * FROM memberships WHERE id = $1 FOR UPDATE", membership_id)
        return None if row is None else membership_of(row)

    async def lock_by_subscription(self, subscription_id: str) -> Membership | None:
        row = await self.conn.fetchrow(
            "SELECT * FROM memberships WHERE stripe_subscription_id = $1 FOR UPDATE", subscription_id
        )
        return None if row is None else membership_of(row)

    async def save(self, m: Membership) -> None:
        await self.conn.execute(
            """UPDATE memberships SET level_id = $2, status = $3, period_start = $4, period_end = $5,
                      auto_renew = $6, grace_ends_at = $7, stripe_subscription_id = $8, updated_at = now()
               WHERE id = $1""",
            m.id,
            m.level_id,
            m.status.value,
            m.period_start,
            m.period_end,
            m.auto_renew,
            m.grace_ends_at,
            m.stripe_subscription_id,
        )

    async def of_member(self, member_id: UUID) -> list[Membership]:
        rows = await self.conn.fetch("SELECT * FROM memberships WHERE member_id = $1 ORDER BY created_at", member_id)
        return [membership_of(row) for row in rows]

    async def forget_organization(self, member_id: UUID) -> None:
        """Erasure: the organization's name may name the person (a sole trader)."""
        await self.conn.execute("UPDATE memberships SET organization_name = NULL WHERE member_id = $1", member_id)

    # The dues calendar
    async def lock_due_for_grace(self, now: datetime, settle_hours: int, batch: int) -> list[UUID]:
        rows = await self.conn.fetch(GRACE_DUE.format(batch=batch), now, settle_hours)
        return [row["id"] for row in rows]

    async def lock_due_to_lapse(self, now: datetime, batch: int) -> list[UUID]:
        rows = await self.conn.fetch(LAPSE_DUE.format(batch=batch), now)
        return [row["id"] for row in rows]

    async def lock_due_for_reminder(self, now: datetime, within_days: int) -> list[UUID]:
        """Current memberships whose period ends within `within_days` days after `now`."""
        rows = await self.conn.fetch(
            """SELECT id FROM memberships
               WHERE status IN ('active', 'past_due')
                 AND period_end > $1 AND period_end <= $1 + make_interval(days => $2)
               FOR UPDATE SKIP LOCKED""",
            now,
            within_days,
        )
        return [row["id"] for row in rows]

    async def record_reminders(self, membership_id: UUID, period_end: datetime, days_before: list[int]) -> set[int]:
        """Records these reminders of this period; returns those not recorded before."""
        recorded = await self.conn.fetch(
            """INSERT INTO reminders_sent (membership_id, period_end, days_before)
               SELECT $1, $2, unnest($3::int[]) ON CONFLICT DO NOTHING RETURNING days_before""",
            membership_id,
            period_end,
            days_before,
        )
        return {r["days_before"] for r in recorded}

"""Postgres storage of levels, members and memberships. Queries that feed a state change lock
the rows they read (FOR UPDATE), so concurrent webhooks and schedulers change a membership one
at a time."""

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from convene_delivery.postgres import Connection
from membership.domain.model import Level, LevelKind, Member, Membership, MembershipStatus, Term


class LevelNameTaken(Exception):
    pass


def _level(row: asyncpg.Record) -> Level:
    return Level(
        id=row["id"],
        name=row["name"],
        price_minor=row["price_minor"],
        currency=row["currency"],
        term=Term(row["term"]),
        kind=LevelKind(row["kind"]),
        seat_count=row["seat_count"],
        description=row["description"],
        retired=row["retired_at"] is not None,
    )


def _membership(row: asyncpg.Record) -> Membership:
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


class SqlRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # Levels (M1)
    async def add_level(self, level: Level) -> None:
        try:
            await self.conn.execute(
                """INSERT INTO levels (id, name, price_minor, currency, term, kind, seat_count, description)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""",
                level.id,
                level.name,
                level.price_minor,
                level.currency,
                level.term.value,
                level.kind.value,
                level.seat_count,
                level.description,
            )
        except asyncpg.UniqueViolationError:
            raise LevelNameTaken(level.name) from None

    async def update_level(self, level_id: UUID, changes: dict[str, Any]) -> Level | None:
        if changes:
            assignments = ", ".join(f"{column} = ${i}" for i, column in enumerate(changes, start=2))
            try:
                await self.conn.execute(f"UPDATE levels SET {assignments} WHERE id = $1", level_id, *changes.values())  # noqa: S608 - column names come from code, not input
            except asyncpg.UniqueViolationError:
                raise LevelNameTaken(changes.get("name", "")) from None
        return await self.get_level(level_id, include_retired=True)

    async def retire_level(self, level_id: UUID, at: datetime) -> Level | None:
        await self.conn.execute("UPDATE levels SET retired_at = coalesce(retired_at, $2) WHERE id = $1", level_id, at)
        return await self.get_level(level_id, include_retired=True)

    async def get_level(self, level_id: UUID, *, include_retired: bool = False) -> Level | None:
        row = await self.conn.fetchrow(
            "SELECT * FROM levels WHERE id = $1 AND (retired_at IS NULL OR $2)", level_id, include_retired
        )
        return None if row is None else _level(row)

    async def list_levels(self, *, include_retired: bool) -> list[Level]:
        rows = await self.conn.fetch(
            "SELECT * FROM levels WHERE retired_at IS NULL OR $1 ORDER BY price_minor, name", include_retired
        )
        return [_level(row) for row in rows]

    # Members
    async def member_by_email(self, email: str) -> Member | None:
        row = await self.conn.fetchrow("SELECT id, name, email FROM members WHERE email = $1", email)
        return None if row is None else Member(row["id"], row["name"], row["email"])

    async def get_member(self, member_id: UUID) -> Member | None:
        row = await self.conn.fetchrow("SELECT id, name, email FROM members WHERE id = $1", member_id)
        return None if row is None else Member(row["id"], row["name"], row["email"])

    async def add_member(self, member: Member) -> None:
        await self.conn.execute(
            "INSERT INTO members (id, name, email) VALUES ($1, $2, $3)", member.id, member.name, member.email
        )

    async def stripe_customer_of(self, member_id: UUID) -> str | None:
        found: str | None = await self.conn.fetchval("SELECT stripe_customer_id FROM members WHERE id = $1", member_id)
        return found

    async def set_stripe_customer(self, member_id: UUID, customer_id: str) -> None:
        await self.conn.execute(
            "UPDATE members SET stripe_customer_id = coalesce(stripe_customer_id, $2) WHERE id = $1",
            member_id,
            customer_id,
        )

    # Memberships
    async def add_membership(self, m: Membership, checkout_session_id: str | None = None) -> None:
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

    async def get_membership(self, membership_id: UUID) -> Membership | None:
        row = await self.conn.fetchrow("SELECT * FROM memberships WHERE id = $1", membership_id)
        return None if row is None else _membership(row)

    async def lock_membership(self, membership_id: UUID) -> Membership | None:
        row = await self.conn.fetchrow("SELECT * FROM memberships WHERE id = $1 FOR UPDATE", membership_id)
        return None if row is None else _membership(row)

    async def lock_membership_by_subscription(self, subscription_id: str) -> Membership | None:
        row = await self.conn.fetchrow(
            "SELECT * FROM memberships WHERE stripe_subscription_id = $1 FOR UPDATE", subscription_id
        )
        return None if row is None else _membership(row)

    async def save_membership(self, m: Membership) -> None:
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

    async def memberships_of(self, member_id: UUID) -> list[Membership]:
        rows = await self.conn.fetch("SELECT * FROM memberships WHERE member_id = $1 ORDER BY created_at", member_id)
        return [_membership(row) for row in rows]

    # Dues payments (M7, M11)
    async def payment_reference_exists(self, reference: str) -> bool:
        found: bool = await self.conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM dues_payments WHERE reference = $1)", reference
        )
        return found

    async def add_payment(
        self,
        payment_id: UUID,
        membership_id: UUID,
        amount_minor: int,
        currency: str,
        method: str,
        reference: str,
        paid_at: datetime,
        kind: str = "join",
        payment_intent: str | None = None,
    ) -> bool:
        """Records a payment once per reference; False if that reference was recorded before."""
        inserted = await self.conn.fetchval(
            """INSERT INTO dues_payments (id, membership_id, amount_minor, currency, method, reference, paid_at,
                                          kind, stripe_payment_intent)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (reference) DO NOTHING RETURNING true""",
            payment_id,
            membership_id,
            amount_minor,
            currency,
            method,
            reference,
            paid_at,
            kind,
            payment_intent,
        )
        return bool(inserted)

    async def record_refund(self, payment_intent: str, refunded_minor: int) -> None:
        await self.conn.execute(
            "UPDATE dues_payments SET refunded_minor = greatest(refunded_minor, $2) WHERE stripe_payment_intent = $1",
            payment_intent,
            refunded_minor,
        )

    async def payments_of(self, member_id: UUID) -> list[asyncpg.Record]:
        return await self.conn.fetch(
            """SELECT p.id, p.membership_id, p.amount_minor, p.currency, p.method, p.kind, p.reference, p.paid_at,
                      p.refunded_minor, l.name AS level_name
               FROM dues_payments p JOIN memberships m ON m.id = p.membership_id JOIN levels l ON l.id = m.level_id
               WHERE m.member_id = $1 ORDER BY p.paid_at""",
            member_id,
        )

    # Stripe webhooks
    async def record_stripe_event(self, event_id: str, event_type: str) -> bool:
        """False when this Stripe event was applied before (a repeated delivery)."""
        inserted = await self.conn.fetchval(
            "INSERT INTO stripe_events (id, type) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING true",
            event_id,
            event_type,
        )
        return bool(inserted)

"""The numbers behind `convene-admin reports`, read from the services' databases (read-only).

Money is what was received: membership's dues payments (recorded when Stripe confirmed the
payment, or when an operator recorded a cheque or transfer) and conference's registrations once
confirmed (Stripe's checkout completed), less what was refunded, in the currency's minor units.
Months are calendar months in UTC."""

from dataclasses import dataclass
from datetime import date

import asyncpg


@dataclass(frozen=True)
class MembersRow:
    level: str
    status: str
    members: int


@dataclass(frozen=True)
class RevenueRow:
    month: date
    source: str  # "dues" or "tickets"
    currency: str
    paid_minor: int
    refunded_minor: int

    @property
    def net_minor(self) -> int:
        return self.paid_minor - self.refunded_minor


async def members_by_level_and_status(dsn: str) -> list[MembersRow]:
    """Members (each counted once per level and status) whose data was not erased."""
    rows = await _fetch(
        dsn,
        """SELECT l.name AS level, ms.status, count(DISTINCT ms.member_id) AS members
           FROM memberships ms JOIN levels l ON l.id = ms.level_id JOIN members mb ON mb.id = ms.member_id
           WHERE mb.erased_at IS NULL
           GROUP BY l.name, ms.status ORDER BY l.name, ms.status""",
    )
    return [MembersRow(r["level"], r["status"], r["members"]) for r in rows]


async def dues_by_month(dsn: str) -> list[RevenueRow]:
    rows = await _fetch(
        dsn,
        """SELECT date_trunc('month', paid_at AT TIME ZONE 'UTC')::date AS month, currency,
                  sum(amount_minor)::bigint AS paid, sum(refunded_minor)::bigint AS refunded
           FROM dues_payments GROUP BY 1, 2 ORDER BY 1, 2""",
    )
    return [RevenueRow(r["month"], "dues", r["currency"], r["paid"], r["refunded"]) for r in rows]


async def tickets_by_month(dsn: str) -> list[RevenueRow]:
    """Registrations Stripe confirmed paid, by the month of confirmation; a later cancellation
    keeps the payment and shows its refund."""
    rows = await _fetch(
        dsn,
        """SELECT date_trunc('month', confirmed_at AT TIME ZONE 'UTC')::date AS month, currency,
                  sum(amount_minor)::bigint AS paid, sum(refunded_minor)::bigint AS refunded
           FROM registrations WHERE confirmed_at IS NOT NULL AND amount_minor > 0
           GROUP BY 1, 2 ORDER BY 1, 2""",
    )
    return [RevenueRow(r["month"], "tickets", r["currency"], r["paid"], r["refunded"]) for r in rows]


async def _fetch(dsn: str, query: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(dsn)
    try:
        # A report only reads: a read-only transaction makes that a promise the database keeps.
        async with conn.transaction(readonly=True):
            return list(await conn.fetch(query))
    finally:
        await conn.close()

"""Read-side queries for the pages, the dashboard, the operators' search and CSV, the privacy
export and the session check. They change nothing and take no locks, so they run on the unit of
work's connection without opening its transaction (when a repository opened it first, they read
inside it)."""

from datetime import datetime
from typing import Any
from uuid import UUID

from convene_delivery.postgres import Connection

Row = dict[str, Any]

SEARCH = """
    SELECT mb.id AS member_id, mb.name, mb.email, ms.id AS membership_id, l.name AS level, ms.status,
           ms.period_end, ms.auto_renew, ms.organization_name
    FROM members mb JOIN memberships ms ON ms.member_id = mb.id JOIN levels l ON l.id = ms.level_id
    WHERE mb.erased_at IS NULL
      AND ($1::text IS NULL OR mb.name ILIKE '%' || $1 || '%' OR mb.email ILIKE '%' || $1 || '%'
           OR ms.organization_name ILIKE '%' || $1 || '%')
      AND ($2::text IS NULL OR ms.status = $2)
      AND ($3::timestamptz IS NULL OR ms.period_end <= $3)
      AND ($4::uuid IS NULL OR ms.level_id = $4)
    ORDER BY mb.name, ms.period_end NULLS LAST
    LIMIT $5 OFFSET $6"""


class SqlViews:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # The operators' dashboard (M8)
    async def memberships_by_status(self) -> list[Row]:
        rows = await self.conn.fetch("SELECT status, count(*) AS n FROM memberships GROUP BY status")
        return [dict(row) for row in rows]

    async def renewals_due(self, statuses: list[str], start: datetime, end: datetime) -> list[Row]:
        """Memberships in `statuses` whose period ends in [start, end), soonest first."""
        rows = await self.conn.fetch(
            """SELECT mb.id AS member_id, mb.name, mb.email, ms.id AS membership_id, l.name AS level, ms.status,
                      ms.period_end, ms.auto_renew
               FROM memberships ms JOIN members mb ON mb.id = ms.member_id JOIN levels l ON l.id = ms.level_id
               WHERE ms.status = ANY($1::text[]) AND ms.period_end >= $2 AND ms.period_end < $3
               ORDER BY ms.period_end, mb.name""",
            statuses,
            start,
            end,
        )
        return [dict(row) for row in rows]

    async def dues_received(self, timezone: str, since: datetime) -> list[Row]:
        """Net of refunds per month (in `timezone`) and currency, since `since`."""
        rows = await self.conn.fetch(
            """SELECT date_trunc('month', paid_at AT TIME ZONE $1)::date AS month, currency,
                      sum(amount_minor - refunded_minor) AS net
               FROM dues_payments WHERE paid_at >= $2 GROUP BY 1, 2 ORDER BY 2""",
            timezone,
            since,
        )
        return [dict(row) for row in rows]

    async def new_members(self, timezone: str, since: datetime) -> list[Row]:
        """Per month (in `timezone`): people whose first membership started then."""
        rows = await self.conn.fetch(
            """SELECT date_trunc('month', first_start AT TIME ZONE $1)::date AS month, count(*) AS n
               FROM (SELECT min(period_start) AS first_start FROM memberships
                     WHERE period_start IS NOT NULL GROUP BY member_id) firsts
               WHERE first_start >= $2 GROUP BY 1""",
            timezone,
            since,
        )
        return [dict(row) for row in rows]

    # The operators' member search and history (M7, M8)
    async def search_members(
        self,
        q: str | None,
        status: str | None,
        expires_before: datetime | None,
        level_id: UUID | None,
        limit: int,
        offset: int,
    ) -> list[Row]:
        rows = await self.conn.fetch(SEARCH, q, status, expires_before, level_id, limit, offset)
        return [dict(row) for row in rows]

    async def member_history(self, member_id: UUID) -> dict[str, Any] | None:
        member = await self.conn.fetchrow("SELECT id, name, email, erased_at FROM members WHERE id = $1", member_id)
        if member is None:
            return None
        memberships = await self.conn.fetch(
            """SELECT ms.*, l.name AS level FROM memberships ms JOIN levels l ON l.id = ms.level_id
               WHERE ms.member_id = $1 ORDER BY ms.created_at""",
            member_id,
        )
        payments = await self.conn.fetch(
            """SELECT p.* FROM dues_payments p JOIN memberships ms ON ms.id = p.membership_id
               WHERE ms.member_id = $1 ORDER BY p.paid_at""",
            member_id,
        )
        return {
            "member": dict(member),
            "memberships": [dict(r) for r in memberships],
            "payments": [dict(r) for r in payments],
        }

    # A member's own data (M9, M10)
    async def seats_of(self, member_id: UUID, email: str) -> list[Row]:
        """The seats of the member's memberships, and those the member holds elsewhere."""
        rows = await self.conn.fetch(
            """SELECT s.membership_id, s.email, s.name, s.assigned_at, s.removed_at FROM seats s
               JOIN memberships m ON m.id = s.membership_id WHERE m.member_id = $1 OR s.email = $2""",
            member_id,
            email,
        )
        return [dict(row) for row in rows]

    async def member_of_session(self, token_sha256: bytes, now: datetime) -> UUID | None:
        found: UUID | None = await self.conn.fetchval(
            "SELECT member_id FROM member_sessions WHERE token_sha256 = $1 AND expires_at > $2", token_sha256, now
        )
        return found

    # The owners' audit log (docs/staff.md): every service's entries, newest first
    async def audit_log(self, limit: int, offset: int) -> list[Row]:
        rows = await self.conn.fetch(
            """SELECT recorded_at, service, staff_id, staff_name, action, target, summary, client FROM audit_log
               ORDER BY recorded_at DESC, id LIMIT $1 OFFSET $2""",
            limit,
            offset,
        )
        return [dict(row) for row in rows]

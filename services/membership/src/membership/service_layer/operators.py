"""What operators see (M7, M8): search and filter members, their history, a CSV export."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from membership.service_layer.deps import Deps

_SEARCH = """
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

CSV_COLUMNS = [
    "member_id",
    "name",
    "email",
    "membership_id",
    "level",
    "status",
    "period_end",
    "auto_renew",
    "organization_name",
]


@dataclass(frozen=True)
class MemberFilter:
    q: str | None = None
    status: str | None = None
    expires_before: datetime | None = None
    level_id: UUID | None = None


async def search(deps: Deps, f: MemberFilter, limit: int, offset: int) -> list[dict[str, Any]]:
    rows = await deps.pool.fetch(_SEARCH, f.q, f.status, f.expires_before, f.level_id, limit, offset)
    return [dict(row) for row in rows]


async def export_csv(deps: Deps, f: MemberFilter) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for row in await search(deps, f, limit=1_000_000, offset=0):
        # A leading =, +, - or @ would run as a formula in a spreadsheet.
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value.isoformat() if isinstance(value, datetime) else value


async def history(deps: Deps, member_id: UUID) -> dict[str, Any] | None:
    member = await deps.pool.fetchrow("SELECT id, name, email, erased_at FROM members WHERE id = $1", member_id)
    if member is None:
        return None
    memberships = await deps.pool.fetch(
        """SELECT ms.*, l.name AS level FROM memberships ms JOIN levels l ON l.id = ms.level_id
           WHERE ms.member_id = $1 ORDER BY ms.created_at""",
        member_id,
    )
    payments = await deps.pool.fetch(
        """SELECT p.* FROM dues_payments p JOIN memberships ms ON ms.id = p.membership_id
           WHERE ms.member_id = $1 ORDER BY p.paid_at""",
        member_id,
    )
    return {
        "member": dict(member),
        "memberships": [dict(r) for r in memberships],
        "payments": [dict(r) for r in payments],
    }

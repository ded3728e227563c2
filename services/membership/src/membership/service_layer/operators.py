"""What operators see (M7, M8): search and filter members, their history, a CSV export."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from membership.service_layer.deps import Deps

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
    async with deps.uow() as uow:
        return await uow.views.search_members(f.q, f.status, f.expires_before, f.level_id, limit, offset)


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
    async with deps.uow() as uow:
        return await uow.views.member_history(member_id)

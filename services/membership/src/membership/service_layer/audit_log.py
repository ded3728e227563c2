"""The owners' audit log (docs/staff.md): every service's entries, to read and to export."""

import csv
import io
from datetime import datetime
from typing import Any

from membership.service_layer.deps import Deps
from membership.service_layer.unit_of_work import Row

COLUMNS = ["recorded_at", "service", "staff_id", "staff_name", "action", "target", "summary", "client"]


async def entries(deps: Deps, limit: int = 100, offset: int = 0) -> list[Row]:
    async with deps.uow() as uow:
        return await uow.views.audit_log(limit, offset)


async def export_csv(deps: Deps) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in await entries(deps, limit=1_000_000):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    # A leading =, +, - or @ would run as a formula in a spreadsheet (a staff member's name is typed).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value.isoformat() if isinstance(value, datetime) else value

"""Reports (C12): capacity, holds, sales, revenue and waitlist per ticket type; registrations CSV."""

import csv
import io
from typing import Any
from uuid import UUID

from conference.service_layer.deps import Deps


async def summary(deps: Deps, conference_id: UUID) -> list[dict[str, Any]]:
    return [dict(row) for row in await deps.views.by_ticket_type(conference_id)]


async def registrations_csv(deps: Deps, conference_id: UUID) -> str:
    rows = await deps.views.registrations_for_export(conference_id)
    out = io.StringIO()
    writer = csv.writer(out)
    columns = [
        "registration_id",
        "status",
        "payer_name",
        "payer_email",
        "attendee",
        "email",
        "ticket_types",
        "price_minor",
        "currency",
        "ticket_code",
        "checked_in_at",
        "answers",
        "created_at",
    ]
    writer.writerow(columns)
    for row in rows:
        # A leading =, +, - or @ would run as a formula in a spreadsheet.
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in "=+-@" else v for v in (row[c] for c in columns)])
    return out.getvalue()

"""The rules of one imported row (M12): which column holds what, Wild Apricot's statuses as
Convene's states, the dates it writes, and what makes a row refused (row, column and reason).

Plain values only: which rows are new, updated or unchanged is decided against the database by
the service layer (`service_layer/imports.py`).
"""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from membership.domain.errors import BadFile
from membership.domain.import_file import Cell, Table
from membership.domain.model import MembershipStatus as S

# Convene's field -> the column Wild Apricot's contacts export names it (any case). A plain CSV
# maps its own columns onto these fields on the import page.
WILD_APRICOT: dict[str, tuple[str, ...]] = {
    "source_id": ("User ID", "Contact ID"),
    "first_name": ("First name",),
    "last_name": ("Last name",),
    "name": ("Name", "Full name"),
    "organization": ("Organization",),
    "email": ("Email", "e-Mail"),
    "phone": ("Phone",),
    "level": ("Membership level",),
    "status": ("Membership status",),
    "member_since": ("Member since",),
    "renewal_due": ("Renewal due",),
    "bundle_id": ("Bundle ID", "Member bundle ID or email"),
    "bundle_role": ("Bundle role", "Member role"),
}
FIELDS = tuple(WILD_APRICOT)
REQUIRED = ("email", "level")


class Source(StrEnum):
    """Wild Apricot's membership statuses."""

    ACTIVE = "Active"
    LAPSED = "Lapsed"
    PENDING_NEW = "Pending - New"
    PENDING_RENEWAL = "Pending - Renewal"
    PENDING_LEVEL_CHANGE = "Pending - Level change"
    SUSPENDED = "Suspended"


# docs/membership.md, "Import members (M12)", explains each line.
STATE_OF: dict[Source, S] = {
    Source.ACTIVE: S.ACTIVE,
    Source.PENDING_RENEWAL: S.ACTIVE,  # a renewal invoice is out; still a member until it is due
    Source.PENDING_LEVEL_CHANGE: S.ACTIVE,  # stays at the level it has until the change is paid
    Source.PENDING_NEW: S.PENDING,  # applied, not paid: not a member yet
    Source.LAPSED: S.LAPSED,
    Source.SUSPENDED: S.CANCELLED,  # Convene has no suspension: ended on purpose
}
COORDINATOR_ROLES = ("bundle administrator", "bundle coordinator", "coordinator", "administrator")
SEAT_ROLES = ("bundle member", "member", "seat holder")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DATE_FORMATS = ("%Y-%m-%d", "%d %b %Y", "%d %B %Y", "%m/%d/%Y", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M:%S")
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's serial day 1 is 1900-01-01 (its leap-year bug included)


@dataclass(frozen=True)
class Refusal:
    row: int
    column: str
    reason: str


@dataclass(frozen=True)
class Record:
    """A row that passed every rule of its own."""

    row: int
    source_id: str | None
    name: str
    email: str
    organization: str | None
    level_name: str
    source_status: Source
    member_since: date | None
    renewal_due: date | None
    bundle_id: str | None
    coordinator: bool  # holds the bundle's (organizational) membership; the others get seats
    bundle_key: str | None = None  # a seat's: the key of its bundle's administrator

    @property
    def key(self) -> str:
        """What an import is keyed by: the source's id, else the address."""
        return f"id:{self.source_id}" if self.source_id else f"email:{self.email}"

    @property
    def state(self) -> S:
        return STATE_OF[self.source_status]

    @property
    def seat(self) -> bool:
        return self.bundle_id is not None and not self.coordinator


def columns_of(table: Table, mapping: dict[str, str] | None) -> dict[str, str]:
    """Convene's field -> the file's column. A mapping chosen on the page wins; otherwise Wild
    Apricot's names. A file without an email or level column is refused whole."""
    present = {c.strip().lower(): c for c in table.columns}
    chosen: dict[str, str] = {}
    for field, names in WILD_APRICOT.items():
        wanted = (mapping or {}).get(field, "").strip()
        if wanted:
            if wanted.lower() not in present:
                raise BadFile(field, f"the file has no column {wanted!r} (its columns: {', '.join(table.columns)})")
            chosen[field] = present[wanted.lower()]
            continue
        found = next((present[n.lower()] for n in names if n.lower() in present), None)
        if found:
            chosen[field] = found
    missing = [f for f in REQUIRED if f not in chosen]
    if "name" not in chosen and not ({"first_name", "last_name"} & chosen.keys()):
        missing.append("name")
    if missing:
        raise BadFile(
            missing[0],
            f"no column for {', '.join(missing)}: name it with Wild Apricot's header or choose the column"
            f" (the file's columns: {', '.join(table.columns)})",
        )
    return chosen


def parse_date(cell: Cell) -> date | None:
    """ISO dates, Wild Apricot's "15 Jan 2025" and "1/15/2025", and Excel's serial numbers."""
    if isinstance(cell, date):
        return cell
    text = cell.strip()
    if not text:
        return None
    if text.isdigit() and 1 <= int(text) <= 200_000:
        return EXCEL_EPOCH + timedelta(days=int(text))
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def read_row(number: int, cells: dict[str, Cell], columns: dict[str, str]) -> Record | list[Refusal]:
    """One row's own rules; every problem of the row at once."""

    def text(field: str) -> str:
        return str(cells.get(columns[field], "")).strip() if field in columns else ""

    refused: list[Refusal] = []

    def refuse(field: str, reason: str) -> None:
        refused.append(Refusal(number, columns.get(field, field), reason))

    email = text("email").lower()
    if not EMAIL.match(email) or len(email) > 254:
        refuse("email", f"{email!r} is not an email address" if email else "the email address is missing")
    name = text("name") or " ".join(p for p in (text("first_name"), text("last_name")) if p)
    if not name or len(name) > 200:
        refuse("first_name" if "name" not in columns else "name", "the name is missing or over 200 characters")
    level = text("level")
    if not level:
        refuse("level", "the membership level is missing")
    status_text = text("status") or Source.ACTIVE.value
    status = next((s for s in Source if s.value.lower() == status_text.lower()), None)
    if status is None:
        refuse("status", f"unknown status {status_text!r} (one of: {', '.join(s.value for s in Source)})")
    dates: dict[str, date | None] = {}
    for field in ("member_since", "renewal_due"):
        try:
            dates[field] = parse_date(cells.get(columns[field], "")) if field in columns else None
        except ValueError as bad:
            refuse(field, f"{bad} is not a date (write 2025-12-31, 31 Dec 2025 or 12/31/2025)")
        else:
            found = dates[field]
            if found is not None and not 1900 <= found.year <= 2200:
                refuse(field, f"{found} is not between the years 1900 and 2200")
    role = text("bundle_role").lower()
    bundle = text("bundle_id") or None
    if bundle and role and role not in COORDINATOR_ROLES + SEAT_ROLES:
        refuse("bundle_role", f"unknown bundle role {role!r} (Bundle administrator or Bundle member)")
    for field in ("source_id", "level", "bundle_id"):
        if len(text(field)) > 200:
            refuse(field, "over 200 characters")
    organization = text("organization") or None
    if organization and len(organization) > 200:
        refuse("organization", "the organization's name is over 200 characters")
    if refused or status is None:
        return refused
    return Record(
        row=number,
        source_id=text("source_id") or None,
        name=name,
        email=email,
        organization=organization,
        level_name=level,
        source_status=status,
        member_since=dates.get("member_since"),
        renewal_due=dates.get("renewal_due"),
        bundle_id=bundle,
        coordinator=bundle is not None and role in COORDINATOR_ROLES,
    )


def read_rows(table: Table, columns: dict[str, str]) -> tuple[list[Record], list[Refusal]]:
    """Every row's own rules, then the file's: one row per address and per source id, and every
    bundle member's bundle has its administrator in the file."""
    records: list[Record] = []
    refused: list[Refusal] = []
    for number, cells in table.rows:
        found = read_row(number, cells, columns)
        if isinstance(found, Record):
            records.append(found)
        else:
            refused += found
    kept: list[Record] = []
    first_of: dict[str, int] = {}
    for record in records:
        keys = [("email", record.email)] + ([("source_id", record.source_id)] if record.source_id else [])
        clash = next(((f, first_of[v]) for f, v in keys if v in first_of), None)
        if clash:
            what = "address" if clash[0] == "email" else "User ID"
            refused.append(Refusal(record.row, columns[clash[0]], f"the same {what} is on row {clash[1]}"))
            continue
        for _, value in keys:
            first_of[value] = record.row
        kept.append(record)
    bundles: dict[str | None, str] = {r.bundle_id: r.key for r in kept if r.bundle_id and r.coordinator}
    final = []
    for record in kept:
        if record.seat and record.bundle_id not in bundles:
            column = columns.get("bundle_id", "bundle_id")
            refused.append(Refusal(record.row, column, f"bundle {record.bundle_id} has no administrator in the file"))
        elif record.seat:
            final.append(replace(record, bundle_key=bundles[record.bundle_id]))
        else:
            final.append(record)
    # Seats come last: each goes onto a membership imported before it.
    return sorted(final, key=lambda r: (r.seat, r.row)), sorted(refused, key=lambda r: r.row)


def as_json(record: Record) -> dict[str, object]:
    values = dict(record.__dict__)
    for field in ("member_since", "renewal_due"):
        found = values[field]
        values[field] = found.isoformat() if isinstance(found, date) else None
    values["source_status"] = record.source_status.value
    return values


def from_json(values: dict[str, object]) -> Record:
    v = dict(values)
    for field in ("member_since", "renewal_due"):
        v[field] = date.fromisoformat(str(v[field])) if v[field] else None
    v["source_status"] = Source(str(v["source_status"]))
    return Record(**v)  # type: ignore[arg-type]

"""Contacts exports shaped like Wild Apricot's (M12), for the import's tests and benchmark:
its headers, a byte-order mark, dates written "15 Jan 2027", every membership status, accented
names, and bundles (an administrator and their bundle members)."""

import csv
import io
from collections.abc import Iterable
from datetime import date, timedelta

HEADER = [
    "User ID",
    "First name",
    "Last name",
    "Organization",
    "Email",
    "Phone",
    "Membership level",
    "Membership status",
    "Member since",
    "Renewal due",
    "Member bundle ID or email",
    "Member role",
]
STATUSES = ["Active", "Active", "Active", "Pending - Renewal", "Pending - Level change", "Lapsed", "Pending - New"]


def wa_date(day: date) -> str:
    return day.strftime("%d %b %Y")


def row(
    user_id: int,
    email: str,
    level: str = "Individual",
    status: str = "Active",
    renewal_due: date | None = date(2027, 6, 30),
    *,
    first: str = "Ada",
    last: str = "Lovelace",
    organization: str = "",
    bundle: str = "",
    role: str = "",
) -> list[str]:
    return [
        str(user_id),
        first,
        last,
        organization,
        email,
        "+1 416 555 0100",
        level,
        status,
        wa_date(date(2019, 3, 4)),
        wa_date(renewal_due) if renewal_due else "",
        bundle,
        role,
    ]


def export(rows: Iterable[list[str]], *, delimiter: str = ",", encoding: str = "utf-8-sig") -> bytes:
    """The file as Wild Apricot writes it: UTF-8 with a byte-order mark, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def many(count: int, domain: str, start_id: int = 100_000) -> list[list[str]]:
    """`count` rows across the statuses, with a bundle of five in every hundred rows: what the
    benchmark imports. Levels "Individual" (annual) and "Agency" (organizational, 10 seats)."""
    rows: list[list[str]] = []
    renewal = date(2027, 1, 1)
    for i in range(count):
        user_id, email = start_id + i, f"member-{start_id + i}@{domain}"
        if i % 100 < 5:
            bundle = f"B{start_id + i - i % 100}"
            role = "Bundle administrator" if i % 100 == 0 else "Bundle member"
            rows.append(
                row(
                    user_id,
                    email,
                    "Agency",
                    "Active",
                    renewal,
                    organization="Ville de Québec",
                    bundle=bundle,
                    role=role,
                )
            )
            continue
        status = STATUSES[i % len(STATUSES)]
        rows.append(row(user_id, email, "Individual", status, renewal + timedelta(days=i % 365), first="Zoë"))
    return rows

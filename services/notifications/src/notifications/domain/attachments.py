"""Files that travel with an email (N5): a calendar invite and the ticket's QR code."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str | None = None  # shown inline in the HTML as <img src="cid:...">


def _ics_text(value: str) -> str:
    """RFC 5545 text: backslash, semicolon, comma and newline escaped."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def calendar_invite(
    uid: UUID, name: str, starts_on: date, ends_on: date, venue: str | None, description: str, stamp: datetime
) -> Attachment:
    """An all-day event over the conference's days (DTEND is exclusive, so the day after)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Convene//Conference tickets//EN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}@convene",
        f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
        f"DTSTART;VALUE=DATE:{starts_on:%Y%m%d}",
        f"DTEND;VALUE=DATE:{ends_on + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_ics_text(name)}",
        f"DESCRIPTION:{_ics_text(description)}",
        *([f"LOCATION:{_ics_text(venue)}"] if venue else []),
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return Attachment("conference.ics", "text/calendar", ("\r\n".join(lines) + "\r\n").encode())


@dataclass(frozen=True)
class TicketQr:
    """A ticket's QR code, still to be drawn: drawing the image is an adapter's job
    (adapters/qr.py), so the catalog only says which code each ticket email shows."""

    ticket_code: str
    filename: str = "ticket.png"
    content_type: str = "image/png"
    content_id: str = "ticket-qr"  # the ticket template's <img src="cid:ticket-qr">


def ticket_qr(ticket_code: str) -> TicketQr:
    return TicketQr(ticket_code)

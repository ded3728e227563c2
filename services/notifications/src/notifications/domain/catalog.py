"""Which email each event becomes (N1), to whom, and whether it is transactional.

Transactional mail (receipts, tickets, sign-in links) always goes. The rest (reminders) carries
a one-click unsubscribe link and is not sent to people who used it (N4).
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from convene_contracts import Event
from convene_contracts import conference as c
from convene_contracts import membership as m
from notifications.domain.attachments import Attachment, TicketQr, calendar_invite, ticket_qr
from notifications.domain.email import format_amount


@dataclass(frozen=True)
class Owed:
    """One email one event calls for, before rendering."""

    recipient: str
    values: dict[str, Any]
    attachments: tuple[Attachment | TicketQr, ...] = ()  # a ticket's QR is drawn when the email is owed


@dataclass(frozen=True)
class Kind:
    transactional: bool
    emails: Callable[[Any], list[Owed]]


def _day(moment: datetime | None) -> str | None:
    return moment.strftime("%d %B %Y") if moment else None


def _membership(p: m.MembershipFacts, **extra: Any) -> list[Owed]:
    if not p.notify_member:  # an import the operator chose not to announce (docs/membership.md, M12)
        return []
    return [Owed(p.email, {"member_name": p.member_name, "level_name": p.level_name} | extra)]


def _money(amount_minor: int, currency: str) -> str:
    return format_amount(amount_minor, currency)


def _registration(p: c.RegistrationFacts, **extra: Any) -> list[Owed]:
    """To the payer: what was booked, for whom, for how much."""
    attendees = [
        {"name": a.name, "ticket_types": ", ".join(a.ticket_types), "ticket_code": a.ticket_code} for a in p.attendees
    ]
    values = {
        "payer_name": p.payer_name,
        "conference_name": p.conference_name,
        "attendees": attendees,
        "amount": _money(p.amount_minor, p.currency),
        "manage_url": p.manage_url,
    }
    return [Owed(p.payer_email, values | extra)]


def _ticket_files(p: c.RegistrationFacts, a: c.AttendeeTicket, stamp: datetime) -> tuple[Attachment | TicketQr, ...]:
    files: list[Attachment | TicketQr] = [ticket_qr(a.ticket_code)] if a.ticket_code else []
    if p.starts_on and p.ends_on:
        files.append(
            calendar_invite(
                a.attendee_id,
                p.conference_name,
                p.starts_on,
                p.ends_on,
                p.venue,
                f"Ticket {a.ticket_code}: {', '.join(a.ticket_types)}",
                stamp,
            )
        )
    return tuple(files)


def _tickets(e: c.RegistrationConfirmed) -> list[Owed]:
    """Confirmed: each attendee gets their own ticket (QR inline, calendar invite) with their own
    link; the payer's link manages the whole group, so only the payer gets it (with their own
    ticket when they attend, with the booking summary when they do not)."""
    p = e.payload
    owed = [
        Owed(
            a.email,
            {
                "attendee_name": a.name,
                "conference_name": p.conference_name,
                "ticket_types": ", ".join(a.ticket_types),
                "ticket_code": a.ticket_code,
                "manage_url": p.manage_url if a.email == p.payer_email else None,
                "ticket_url": a.ticket_url,
                "qr_cid": "ticket-qr" if a.ticket_code else None,
            },
            _ticket_files(p, a, e.occurred_at),
        )
        for a in p.attendees
    ]
    if p.payer_email not in {a.email for a in p.attendees}:
        owed += _registration(p)
    return owed


def _waitlist(p: c.WaitlistPayload, **extra: Any) -> list[Owed]:
    return [
        Owed(
            p.email,
            {"name": p.name, "conference_name": p.conference_name, "ticket_type_name": p.ticket_type_name} | extra,
        )
    ]


def _certificate_file(p: c.CertificateIssuedPayload) -> tuple[Attachment, ...]:
    if p.certificate_pdf_base64 is None:
        return ()
    return (Attachment("certificate.pdf", "application/pdf", base64.b64decode(p.certificate_pdf_base64)),)


# One row per event type: whether it is transactional, and the emails it owes with their values.
KINDS: dict[str, Kind] = {
    "membership.activated": Kind(
        True,
        lambda e: _membership(
            e.payload, period_end=_day(e.payload.period_end), amount=_money(e.payload.amount_minor, e.payload.currency)
        ),
    ),
    "membership.renewed": Kind(
        True,
        lambda e: _membership(
            e.payload, period_end=_day(e.payload.period_end), amount=_money(e.payload.amount_minor, e.payload.currency)
        ),
    ),
    "membership.payment_failed": Kind(
        True,
        lambda e: _membership(
            e.payload, amount=_money(e.payload.amount_minor, e.payload.currency), reason=e.payload.reason
        ),
    ),
    "membership.expiring_soon": Kind(
        False,
        lambda e: _membership(
            e.payload,
            period_end=_day(e.payload.period_end),
            days_before=e.payload.days_before,
            auto_renew=e.payload.auto_renew,
        ),
    ),
    "membership.in_grace": Kind(
        False,
        lambda e: _membership(
            e.payload, period_end=_day(e.payload.period_end), grace_ends_at=_day(e.payload.grace_ends_at)
        ),
    ),
    "membership.lapsed": Kind(True, lambda e: _membership(e.payload)),
    "membership.cancelled": Kind(True, lambda e: _membership(e.payload, reason=e.payload.reason)),
    "membership.sign_in_requested": Kind(
        True,
        lambda e: [
            Owed(
                e.payload.email,
                {
                    "member_name": e.payload.member_name,
                    "sign_in_url": e.payload.sign_in_url,
                    "expires_at": e.payload.expires_at.strftime("%H:%M UTC on %d %B %Y"),
                },
            )
        ],
    ),
    "membership.seat_assigned": Kind(
        True,
        lambda e: (
            []
            if not e.payload.notify_member
            else [
                Owed(
                    e.payload.email,
                    {
                        "name": e.payload.name,
                        "level_name": e.payload.level_name,
                        "organization_name": e.payload.organization_name,
                    },
                )
            ]
        ),
    ),
    "conference.registration_held": Kind(
        True,
        lambda e: _registration(
            e.payload,
            checkout_url=e.payload.checkout_url,
            hold_expires_at=e.payload.hold_expires_at.strftime("%H:%M UTC on %d %B %Y"),
        ),
    ),
    "conference.registration_confirmed": Kind(True, _tickets),
    "conference.hold_expired": Kind(True, lambda e: _registration(e.payload)),
    "conference.registration_cancelled": Kind(
        True, lambda e: _registration(e.payload, refund=_money(e.payload.refund_minor, e.payload.currency))
    ),
    "conference.refund_issued": Kind(
        True,
        lambda e: _registration(
            e.payload, refund=_money(e.payload.refund_minor, e.payload.currency), reason=e.payload.reason
        ),
    ),
    "conference.waitlist_joined": Kind(True, lambda e: _waitlist(e.payload)),
    "conference.waitlist_offered": Kind(
        True,
        lambda e: _waitlist(
            e.payload,
            claim_url=e.payload.claim_url,
            offer_expires_at=e.payload.offer_expires_at.strftime("%H:%M UTC on %d %B %Y"),
        ),
    ),
    "conference.waitlist_offer_expired": Kind(True, lambda e: _waitlist(e.payload)),
    "conference.member_price_offered": Kind(
        True,
        lambda e: [
            Owed(
                e.payload.email,
                {
                    "name": e.payload.name,
                    "conference_name": e.payload.conference_name,
                    "amount": _money(e.payload.amount_minor, e.payload.currency),
                    "member_amount": _money(e.payload.member_amount_minor, e.payload.currency),
                    "confirm_url": e.payload.confirm_url,
                    "hold_expires_at": e.payload.hold_expires_at.strftime("%H:%M UTC on %d %B %Y"),
                },
            )
        ],
    ),
    "conference.checked_in": Kind(
        True, lambda e: [Owed(e.payload.email, {"name": e.payload.name, "conference_name": e.payload.conference_name})]
    ),
    "conference.certificate_issued": Kind(
        True,
        lambda e: [
            Owed(
                e.payload.email,
                {
                    "name": e.payload.name,
                    "conference_name": e.payload.conference_name,
                    "hours": e.payload.hours,
                    "certificate_url": e.payload.certificate_url,
                },
                _certificate_file(e.payload),
            )
        ],
    ),
}  # fmt: skip - a table: one event a row, its kind and values together


def member_of(event: Event) -> UUID | None:
    """The member an email is about, when there is one (for erasure)."""
    member_id = getattr(event.payload, "member_id", None)
    return member_id if isinstance(member_id, UUID) else None


def own_address_of(event: Event) -> str | None:
    """The member's own address, where the event names one: a seat event's address is the seat
    holder's, under the organization's contact's member id, so it is not the member's."""
    if isinstance(event.payload, m.SeatPayload):
        return None
    email = getattr(event.payload, "email", None)
    return email.lower() if isinstance(email, str) else None

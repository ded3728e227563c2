"""Certificates of attendance (C11): after the conference, each attendee who checked in gets one,
announced by `conference.certificate_issued` (notifications emails it) and downloadable as PDF
through a signed link."""

import base64
import hashlib
import hmac
from datetime import datetime
from typing import Any
from uuid import UUID

from fpdf import FPDF

from conference.domain.errors import NotFound, RegistrationRefused
from conference.service_layer.deps import Deps
from conference.service_layer.unit_of_work import Row
from convene_contracts import conference as contract
from convene_delivery.correlation import correlation_or_new


def certificate_token(deps: Deps, attendee_id: UUID) -> str:
    key = deps.settings.attendee_link_secret.encode()
    return hmac.new(key, f"certificate:{attendee_id}".encode(), hashlib.sha256).hexdigest()[:32]


def certificate_url(deps: Deps, attendee_id: UUID) -> str:
    token = certificate_token(deps, attendee_id)
    return f"{deps.settings.public_base_url}/certificates/{attendee_id}.pdf?token={token}"


async def issue(deps: Deps, conference_id: UUID) -> int:
    """Issues the certificates not issued yet; returns how many. Refused before the conference ends."""
    now = deps.clock()
    async with deps.uow() as uow:
        conference = await uow.catalog.conference(conference_id)
        if conference is None:
            raise NotFound("conference")
        if now.date() <= conference["ends_on"]:
            raise RegistrationRefused("conference_id", "certificates are issued after the conference ends")
        attendees = await uow.attendees.issue_certificates(conference_id, conference["certificate_hours"], now)
        await uow.commit([_issued(deps, conference, attendee, now) for attendee in attendees])
    return len(attendees)


def _issued(deps: Deps, conference: Row, attendee: Row, now: datetime) -> contract.CertificateIssued:
    document = render(
        {
            "name": attendee["name"],
            "conference": conference["name"],
            "venue": conference["venue"],
            "starts_on": conference["starts_on"],
            "ends_on": conference["ends_on"],
            "hours": conference["certificate_hours"],
            "issued_at": now,
        }
    )
    return contract.CertificateIssued(
        producer="conference",
        correlation_id=correlation_or_new(),
        payload=contract.CertificateIssuedPayload(
            registration_id=attendee["registration_id"],
            attendee_id=attendee["id"],
            conference_id=conference["id"],
            conference_name=conference["name"],
            name=attendee["name"],
            email=attendee["email"],
            hours=float(conference["certificate_hours"]),
            certificate_url=certificate_url(deps, attendee["id"]),
            certificate_pdf_base64=base64.b64encode(document).decode(),
        ),
    )


async def pdf(deps: Deps, attendee_id: UUID) -> bytes:
    row = await deps.views.certificate(attendee_id)
    if row is None:
        raise NotFound("certificate")
    return render(dict(row))


def render(c: dict[str, Any]) -> bytes:
    """One landscape page: who, what, where, when, how many hours."""
    doc = FPDF(orientation="landscape", format="A4")
    doc.set_title(f"Certificate of attendance: {c['name']}")
    doc.add_page()
    doc.set_font("Helvetica", "B", 30)
    doc.cell(0, 40, "Certificate of Attendance", align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 16)
    doc.cell(0, 12, "This certifies that", align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "B", 24)
    doc.cell(0, 18, _latin1(c["name"]), align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 16)
    where = f" in {c['venue']}" if c["venue"] else ""
    doc.multi_cell(
        0,
        10,
        _latin1(
            f"attended {c['conference']}{where}, {c['starts_on']:%d %B %Y} to "
            f"{c['ends_on']:%d %B %Y}, for {c['hours']} hours."
        ),
        align="C",
    )
    issued: datetime = c["issued_at"]
    doc.cell(0, 20, f"Issued {issued:%d %B %Y}", align="C")
    return bytes(doc.output())


def _latin1(text: str) -> str:
    """The core PDF fonts cover Latin-1; other characters are replaced, not dropped silently."""
    return text.encode("latin-1", "replace").decode("latin-1")

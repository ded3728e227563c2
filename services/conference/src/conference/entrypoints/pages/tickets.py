"""One attendee's own ticket, opened by the attendee's signed link (their ticket email, "my
registrations"): the conference, the status and, once confirmed, the ticket code and its QR.
Nothing of the payer or the other attendees of the group; the payer's link manages the group."""

import base64
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from conference.entrypoints.http.common import DepsOf
from conference.service_layer import attendee_views
from conference.service_layer.attendee_links import ticket_is_valid
from conference.service_layer.attendee_views import OwnTicket
from conference.service_layer.deps import Deps
from convene_web.access import PageNotFound
from convene_web.pages import PagesOf
from convene_web.qr import qr_png

router = APIRouter(prefix="/events/tickets", include_in_schema=False)
Token = Annotated[str | None, Query(max_length=100)]


async def ticket_or_404(deps: Deps, attendee_id: UUID, token: str | None) -> OwnTicket:
    """Any other link gets "not found", never "forbidden": nobody learns which tickets exist."""
    if not token or not ticket_is_valid(deps, attendee_id, token):
        raise PageNotFound("ticket")
    found = await attendee_views.own_ticket(deps, attendee_id)
    if found is None:
        raise PageNotFound("ticket")
    return found


@router.get("/{attendee_id:uuid}")
async def ticket_page(
    attendee_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, token: Token = None
) -> Response:
    found = await ticket_or_404(deps, attendee_id, token)
    qr = "data:image/png;base64," + base64.b64encode(qr_png(found.ticket_code)).decode() if found.ticket_code else None
    return pages.render(request, "ticket.html", ticket=found, qr=qr, section="conferences")

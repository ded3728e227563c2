"""One attendee's own ticket, opened by the attendee's signed link (their ticket email, "my
registrations"): the conference, the status and, once confirmed, the ticket code and its QR.
Nothing of the payer or the other attendees of the group; the payer's link manages the group.
The attendee erases their own data from here, after a page that says what goes and what stays."""

import base64
from contextlib import suppress
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from conference.domain.errors import NotFound
from conference.entrypoints.http.common import DepsOf
from conference.service_layer import attendee_views, privacy
from conference.service_layer.attendee_links import ticket_is_valid
from conference.service_layer.attendee_views import OwnTicket
from conference.service_layer.deps import Deps
from convene_web.access import PageNotFound
from convene_web.csrf import CsrfProtected
from convene_web.forms import posted
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
    return pages.render(request, "ticket.html", ticket=found, qr=qr, token=token, section="conferences")


@router.get("/{attendee_id:uuid}/erase")
async def erase_page(
    attendee_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, token: Token = None
) -> Response:
    found = await ticket_or_404(deps, attendee_id, token)
    return pages.render(request, "ticket_erase.html", ticket=found, token=token, section="conferences")


@router.post("/{attendee_id:uuid}/erase", dependencies=[CsrfProtected])
async def erase(attendee_id: UUID, request: Request, pages: PagesOf, deps: DepsOf) -> Response:
    """Erases this attendee (everything under their address), never the payer or the others of
    the group: the payer's registration and payment stay for the books."""
    await ticket_or_404(deps, attendee_id, posted(await request.form()).get("token"))
    with suppress(NotFound):  # erased meanwhile (another tab): the same goodbye
        await privacy.erase_attendee(deps, attendee_id)
    return pages.redirect("/events/tickets/erased")


@router.get("/erased")
async def erased(request: Request, pages: PagesOf) -> Response:
    return pages.render(request, "ticket_erased.html", section="conferences")

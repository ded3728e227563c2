"""The page behind the link sent to a member's address: it shows the member price and confirms
it with a button (a POST, so a mail scanner that opens the link changes nothing)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from conference.domain.errors import NotFound, PriceFinal, RegistrationRefused
from conference.entrypoints.http.common import DepsOf
from conference.service_layer import member_proof
from convene_web.access import PageNotFound
from convene_web.csrf import CsrfProtected
from convene_web.forms import posted
from convene_web.pages import PagesOf

router = APIRouter(prefix="/events/attendees", include_in_schema=False)
Token = Annotated[str | None, Query(max_length=100)]


async def _page(
    request: Request, pages: PagesOf, deps: DepsOf, attendee_id: UUID, token: str, **extra: object
) -> Response:
    try:
        offer = await member_proof.offer(deps, attendee_id, token)
    except NotFound:
        raise PageNotFound("member price offer") from None
    status = int(str(extra.pop("status", 200)))
    return pages.render(
        request, "member_price.html", status=status, offer=offer, token=token, section="conferences", **extra
    )


@router.get("/{attendee_id:uuid}/member-price")
async def member_price_page(
    attendee_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, token: Token = None
) -> Response:
    return await _page(request, pages, deps, attendee_id, token or "")


@router.post("/{attendee_id:uuid}/member-price", dependencies=[CsrfProtected])
async def confirm_member_price(
    attendee_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, token: Token = None
) -> Response:
    token = token or posted(await request.form()).get("token") or ""
    try:
        total = await member_proof.confirm(deps, attendee_id, token)
    except NotFound:
        raise PageNotFound("member price offer") from None
    except (PriceFinal, RegistrationRefused) as refused:
        return await _page(request, pages, deps, attendee_id, token, problem=str(refused), status=409)
    return await _page(request, pages, deps, attendee_id, token, total=total)

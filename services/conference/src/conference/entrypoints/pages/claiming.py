"""The waitlist offer's page (C7): the link in the offer email shows which place is kept, until
when, and a button that claims it; then on to payment, as after registering."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from conference.domain.errors import RegistrationRefused
from conference.entrypoints.http.common import DepsOf
from conference.service_layer import holding, waitlist
from conference.service_layer.attendee_links import registration_path
from conference.service_layer.deps import Deps
from convene_service.payments import PaymentProviderUnavailable
from convene_web.access import PageNotFound
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted
from convene_web.pages import Pages, PagesOf

router = APIRouter(prefix="/events/waitlist", include_in_schema=False)


async def _claim_page(
    request: Request,
    pages: Pages,
    deps: Deps,
    entry_id: UUID,
    token: str,
    form: FormState | None = None,
    status: int = 200,
) -> Response:
    offer = await waitlist.offer(deps, entry_id, token)
    if offer is None:  # a wrong or altered link: "not found", as for registrations
        raise PageNotFound("waitlist offer")
    return pages.render(
        request,
        "claim.html",
        status=status,
        offer=offer,
        token=token,
        now=deps.clock(),
        form=form or FormState(),
        section="conferences",
    )


@router.get("/{entry_id:uuid}/claim")
async def claim_page(
    entry_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, token: Annotated[str, Query(max_length=100)] = ""
) -> Response:
    return await _claim_page(request, pages, deps, entry_id, token)


@router.post("/{entry_id:uuid}/claim", dependencies=[CsrfProtected])
async def claim(entry_id: UUID, request: Request, pages: PagesOf, deps: DepsOf) -> Response:
    token = posted(await request.form()).get("token", "")
    form = FormState()
    try:
        held = await holding.claim_offer(deps, entry_id, token)
    except RegistrationRefused as refused:
        form.problem = (
            "This offer has been claimed already or has run out."
            if refused.field == "token"
            else f"{str(refused)[0].upper()}{str(refused)[1:]}."
        )
    except PaymentProviderUnavailable:
        form.problem = "The payment service did not answer. Please try again shortly."
        return await _claim_page(request, pages, deps, entry_id, token, form, status=502)
    else:
        page = "" if held.checkout_url is None else "/pay"
        return pages.redirect(registration_path(deps, held.registration_id, page))
    return await _claim_page(request, pages, deps, entry_id, token, form, status=400)

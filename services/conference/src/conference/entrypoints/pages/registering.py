"""Registering through the pages (C3, C5, C6, C9): the form, the postback that adds or removes
an attendee without scripts, and the register call itself, which sends a held registration
to its payment page and a free one straight to the registration page."""

from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from conference.domain.errors import RegistrationRefused, SoldOut, TooManyUnpaidSeats
from conference.entrypoints.http.common import DepsOf
from conference.entrypoints.http.public import signed_in_member
from conference.entrypoints.metrics import answered_sold_out
from conference.entrypoints.pages import registration_form
from conference.entrypoints.pages.common import conference_or_404
from conference.service_layer import holding
from conference.service_layer.attendee_links import registration_path
from conference.service_layer.deps import Deps
from convene_delivery.correlation import correlation_or_new
from convene_service.payments import PaymentProviderUnavailable
from convene_web.access import PageRateLimit
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted
from convene_web.pages import Pages, PagesOf
from convene_web.sessions import current_session, here

router = APIRouter(prefix="/events", include_in_schema=False)


async def _form_page(
    request: Request,
    pages: Pages,
    deps: Deps,
    conference: dict[str, Any],
    form: FormState,
    status: int = 200,
    first_visit: bool = False,
    sold_out: str | None = None,
) -> Response:
    session = current_session(request)
    member_email = session.email if session and session.is_member and session.email else None
    now = deps.clock()
    tickets = [
        (str(t["id"]), t["name"], registration_form.price_hint(t, conference["currency"], now))
        for t in conference["ticket_types"]
        if t["kind"] == "main" and not t["sold_out"]
    ]
    addons = [
        (t, registration_form.price_hint(t, conference["currency"], now))
        for t in conference["ticket_types"]
        if t["kind"] == "addon" and not t["sold_out"]
    ]
    return pages.render(
        request,
        "register.html",
        status=status,
        conference=conference,
        form=form,
        tickets=tickets,
        addons=addons,
        count=registration_form.attendee_count(form.values),
        max_attendees=min(registration_form.MAX_ATTENDEES, conference["max_tickets_per_registration"]),
        sold_out_types=[t for t in conference["ticket_types"] if t["sold_out"]],
        first_visit=first_visit,
        member_email=member_email,
        member_pricing=bool(member_email and await deps.views.is_member(member_email)),
        sign_in_next=quote(here(request, pages.base_url), safe=""),
        sold_out=sold_out,
        section="conferences",
    )


def _one_ticket_chosen(conference: dict[str, Any], values: dict[str, str]) -> dict[str, str]:
    """A new attendee has the only ticket on sale chosen already, when there is one (never after
    an error, where the form shows what was sent)."""
    mains = [t for t in conference["ticket_types"] if t["kind"] == "main" and not t["sold_out"]]
    if len(mains) != 1:
        return values
    count = registration_form.attendee_count(values)
    return values | {f"a{i}_ticket": str(mains[0]["id"]) for i in range(count) if not values.get(f"a{i}_ticket")}


@router.get("/{conference_id:uuid}/register")
async def registration_form_page(
    conference_id: UUID,
    request: Request,
    pages: PagesOf,
    deps: DepsOf,
    attendees: Annotated[int, Query(ge=1, le=registration_form.MAX_ATTENDEES)] = 1,
    ticket: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    conference = await conference_or_404(deps, conference_id)
    session = current_session(request)
    values = _one_ticket_chosen(conference, {"attendees": str(attendees), "a0_ticket": ticket or ""})
    if session and session.is_member and session.email:  # member prices follow this address
        values["a0_email"] = session.email
    return await _form_page(request, pages, deps, conference, FormState(values=values), first_visit=True)


@router.post("/{conference_id:uuid}/register/attendees", dependencies=[CsrfProtected])
async def change_attendees(conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf) -> Response:
    """The buttons "Add another attendee" and "Remove attendee N" post the whole form here: it comes back
    with one more or one fewer attendee and everything typed kept. Nothing is booked."""
    conference = await conference_or_404(deps, conference_id)
    values = posted(await request.form())
    values = _one_ticket_chosen(conference, registration_form.change_group(values, values.pop("change", "")))
    return await _form_page(request, pages, deps, conference, FormState(values=values))


@router.post("/{conference_id:uuid}/register", dependencies=[CsrfProtected, Depends(PageRateLimit("hold"))])
async def register(conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf) -> Response:
    conference = await conference_or_404(deps, conference_id)
    values = posted(await request.form())
    values.pop("change", None)
    asked, form = registration_form.read(values, conference)
    if asked is None:
        return await _form_page(request, pages, deps, conference, form, status=400)
    try:
        held = await holding.register(
            deps,
            correlation_or_new(),
            conference_id,
            asked.payer_name,
            asked.payer_email,
            asked.attendees,
            asked.discount_code,
            client_address=request.client.host if request.client else None,
            member_email=signed_in_member(request),
        )
    except RegistrationRefused as refused:
        registration_form.place_refusal(form, refused, len(asked.attendees))
    except SoldOut as sold_out:
        answered_sold_out()
        registration_form.place_sold_out(form, values, sold_out)
        return await _form_page(
            request, pages, deps, conference, form, status=409, sold_out=str(sold_out.ticket_type_id)
        )
    except TooManyUnpaidSeats as too_many:
        form.problem = f"Nothing was booked: {too_many}."
        return await _form_page(request, pages, deps, conference, form, status=429)
    except PaymentProviderUnavailable:
        form.problem = "The payment service did not answer, so nothing was booked or charged. Please try again shortly."
        return await _form_page(request, pages, deps, conference, form, status=502)
    else:
        if held.checkout_url is None:  # free or fully discounted: confirmed already (C13)
            return pages.redirect(registration_path(deps, held.registration_id))
        return pages.redirect(registration_path(deps, held.registration_id, "/pay"))
    return await _form_page(request, pages, deps, conference, form, status=400)

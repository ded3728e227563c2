"""Complimentary registrations (C13): an operator gives someone a real seat at no price, for a
speaker or a volunteer. Confirmed at once, so the ticket email goes out as for any registration."""

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from conference.domain.errors import RegistrationRefused, SoldOut
from conference.entrypoints.http.common import DepsOf
from conference.entrypoints.pages.operator.common import SECTION, the_conference
from conference.service_layer import holding, operator_views
from convene_contracts.email import Email
from convene_delivery.correlation import correlation_or_new
from convene_web.access import OperatorPage
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted, validate
from convene_web.pages import PagesOf

router = APIRouter(prefix="/events/operator", include_in_schema=False)


class Comp(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    email: Email
    ticket_type: UUID


MESSAGES = {
    "name": "Enter the attendee's full name",
    "email": "Enter an email address in the right format, like name@example.org",
    "ticket_type": "Choose a ticket type",
}


async def _render(
    request: Request, pages: PagesOf, deps: DepsOf, conference_id: UUID, form: FormState, status: int = 200
) -> Response:
    conference = await the_conference(deps, conference_id)
    types = await operator_views.ticket_types(deps, conference_id)
    return pages.render(
        request,
        "operator/comp_form.html",
        status=status,
        conference=conference,
        ticket_types=types,
        form=form,
        section=SECTION,
    )


@router.get("/{conference_id:uuid}/comps/new")
async def comp_form(
    conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    return await _render(request, pages, deps, conference_id, FormState())


@router.post("/{conference_id:uuid}/comps/new", dependencies=[CsrfProtected])
async def issue_comp(
    conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    await the_conference(deps, conference_id)
    comp, form = validate(Comp, posted(await request.form()), MESSAGES)
    if comp is not None:
        attendee = holding.AttendeeIn(comp.name, comp.email.lower(), [comp.ticket_type], {})
        try:
            held = await holding.register(
                deps,
                correlation_or_new(),
                conference_id,
                comp.name,
                comp.email.lower(),
                [attendee],
                None,
                complimentary=True,
            )
        except SoldOut as sold_out:
            form.errors["ticket_type"] = f"{sold_out}".replace(": join the waitlist", "")
        except RegistrationRefused as refused:
            if refused.field.endswith("ticket_type_ids"):
                form.errors["ticket_type"] = str(refused).capitalize()
            else:
                form.problem = f"No seat was given: {refused}."
        else:
            return pages.redirect(f"/events/operator/registrations/{held.registration_id}")
    return await _render(request, pages, deps, conference_id, form, status=400)

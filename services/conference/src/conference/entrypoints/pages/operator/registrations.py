"""A conference's registrations for operators: found by a name, an email or a ticket code and by
status, downloaded as the CSV (C12), and one registration in full: attendees, tickets, payment."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response

from conference.domain.errors import NotFound
from conference.domain.model import RegistrationStatus
from conference.entrypoints.http.common import DepsOf
from conference.entrypoints.pages.operator.common import SECTION, the_conference
from conference.service_layer import operator_views, reports
from convene_web.access import OperatorPage, PageNotFound
from convene_web.forms import FormState
from convene_web.pages import PagesOf

router = APIRouter(prefix="/events/operator", include_in_schema=False)
STATUSES = [(s.value, s.value.capitalize()) for s in RegistrationStatus]


@router.get("/{conference_id:uuid}/registrations")
async def registrations_page(
    conference_id: UUID,
    request: Request,
    pages: PagesOf,
    deps: DepsOf,
    operator: OperatorPage,
    search: Annotated[str, Query(max_length=200)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    conference = await the_conference(deps, conference_id)
    status = status if status in {s for s, _ in STATUSES} else ""  # an unknown status filters nothing out
    found = await operator_views.registrations(deps, conference_id, search.strip(), status)
    form = FormState(values={"search": search, "status": status})
    return pages.render(
        request,
        "operator/registrations.html",
        conference=conference,
        registrations=found,
        form=form,
        statuses=STATUSES,
        listed=operator_views.LISTED,
        section=SECTION,
    )


@router.get("/{conference_id:uuid}/registrations.csv")
async def registrations_csv(conference_id: UUID, deps: DepsOf, operator: OperatorPage) -> Response:
    """The same CSV as the API's, for an operator signed in on the pages."""
    await the_conference(deps, conference_id)
    return PlainTextResponse(
        await reports.registrations_csv(deps, conference_id),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="registrations.csv"', "Cache-Control": "no-store"},
    )


@router.get("/registrations/{registration_id:uuid}")
async def registration_page(
    registration_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    try:
        found = await operator_views.registration(deps, registration_id)
    except NotFound:
        raise PageNotFound("registration") from None
    conference = await the_conference(deps, found.registration["conference_id"])
    return pages.render(
        request,
        "operator/registration.html",
        conference=conference,
        r=found.registration,
        attendees=found.attendees,
        section=SECTION,
    )

"""The public conference pages: the open conferences, one conference with its ticket types,
prices and what is left, and the waitlist form for a sold-out ticket type (C1, C2, C7)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from conference.domain.errors import RegistrationRefused
from conference.entrypoints.http.common import DepsOf
from conference.entrypoints.pages.common import conference_or_404
from conference.service_layer import catalog, waitlist
from convene_contracts.email import Email
from convene_web.access import PageNotFound, PageRateLimit
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted, validate
from convene_web.pages import PagesOf
from convene_web.sessions import current_session

router = APIRouter(prefix="/events", include_in_schema=False)


class WaitlistForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    ticket_type: UUID
    name: str = Field(min_length=1, max_length=200)
    email: Email


MESSAGES = {
    "ticket_type": "Choose the ticket you are waiting for",
    "name": "Enter your full name",
    "email": "Enter an email address in the right format, like name@example.org",
}
FORM_FIELD = {"ticket_type_id": "ticket_type"}  # the service layer's names for what the form calls otherwise


@router.get("")
async def conferences_page(request: Request, pages: PagesOf, deps: DepsOf) -> Response:
    return pages.render(
        request,
        "conferences.html",
        conferences=await catalog.open_conferences(deps),
        now=deps.clock(),
        section="conferences",
    )


async def _conference_page(
    request: Request, pages: PagesOf, deps: DepsOf, conference_id: UUID, form: FormState, status: int = 200
) -> Response:
    conference = await conference_or_404(deps, conference_id)
    sold_out = [t for t in conference["ticket_types"] if t["sold_out"]]
    return pages.render(
        request,
        "conference.html",
        status=status,
        conference=conference,
        sold_out=sold_out,
        form=form,
        now=deps.clock(),
        section="conferences",
    )


@router.get("/{conference_id:uuid}")
async def conference_page(
    conference_id: UUID,
    request: Request,
    pages: PagesOf,
    deps: DepsOf,
    waiting_for: Annotated[str | None, Query(alias="waitlist", max_length=64)] = None,
) -> Response:
    session = current_session(request)
    form = FormState(
        values={"ticket_type": waiting_for or "", "email": session.email if session and session.email else ""}
    )
    return await _conference_page(request, pages, deps, conference_id, form)


@router.post("/{conference_id:uuid}/waitlist", dependencies=[CsrfProtected, Depends(PageRateLimit("waitlist"))])
async def join_waitlist(conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf) -> Response:
    await conference_or_404(deps, conference_id)
    waiting, form = validate(WaitlistForm, posted(await request.form()), MESSAGES)
    if waiting is not None:
        try:
            await waitlist.join(deps, conference_id, waiting.ticket_type, waiting.name, waiting.email.lower())
        except RegistrationRefused as refused:
            field = FORM_FIELD.get(refused.field, refused.field)
            form.errors[field] = str(refused)[0].upper() + str(refused)[1:]
        else:
            return pages.redirect(f"/events/{conference_id}/waitlisted?ticket_type={waiting.ticket_type}")
    return await _conference_page(request, pages, deps, conference_id, form, status=400)


@router.get("/{conference_id:uuid}/waitlisted")
async def waitlisted(
    conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, ticket_type: Annotated[UUID, Query()]
) -> Response:
    conference = await conference_or_404(deps, conference_id)
    [ticket] = [t for t in conference["ticket_types"] if t["id"] == ticket_type] or [None]
    if ticket is None:
        raise PageNotFound("ticket type")
    return pages.render(
        request,
        "waitlisted.html",
        conference=conference,
        ticket=ticket,
        section="conferences",
        offer_hours=f"{deps.settings.waitlist_offer_hours:g}",
    )

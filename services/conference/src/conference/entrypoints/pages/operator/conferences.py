"""The operators' conference pages: every conference, one conference's dashboard (C12) and the
buttons that open and close its registration (C1)."""

from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from conference.entrypoints.http.common import DepsOf
from conference.entrypoints.pages.operator.common import SECTION, the_conference
from conference.entrypoints.pages.operator.dashboard_charts import charts_of
from conference.service_layer import catalog, dashboard, operator_views
from convene_web.access import OperatorPage
from convene_web.csrf import CsrfProtected
from convene_web.forms import posted, validate
from convene_web.pages import PagesOf

router = APIRouter(prefix="/events/operator", include_in_schema=False)


class StatusChange(BaseModel):
    status: Literal["draft", "open", "closed"]


@router.get("")
async def conferences_page(request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage) -> Response:
    return pages.render(
        request, "operator/conferences.html", conferences=await operator_views.conferences(deps), section=SECTION
    )


@router.get("/{conference_id:uuid}")
async def dashboard_page(
    conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    await the_conference(deps, conference_id)  # a 404 page for an unknown one
    numbers = await dashboard.dashboard(deps, conference_id)
    return pages.render(
        request,
        "operator/dashboard.html",
        conference=numbers.conference,
        numbers=numbers,
        charts=charts_of(numbers),
        section=SECTION,
    )


@router.post("/{conference_id:uuid}/status", dependencies=[CsrfProtected])
async def change_status(
    conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    await the_conference(deps, conference_id)
    change, _ = validate(StatusChange, posted(await request.form()), {})
    if change is not None:  # only the page's own buttons post here; anything else changes nothing
        await catalog.set_status(deps, conference_id, change.status)
    return pages.redirect(f"/events/operator/{conference_id}")

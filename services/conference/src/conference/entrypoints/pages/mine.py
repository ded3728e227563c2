"""A signed-in member's registrations, as payer or attendee, each linking to its own page."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from conference.entrypoints.http.common import DepsOf
from conference.service_layer import attendee_views
from convene_web.access import MemberPage
from convene_web.pages import PagesOf

router = APIRouter(prefix="/events", include_in_schema=False)


@router.get("/my")
async def my_registrations(request: Request, session: MemberPage, pages: PagesOf, deps: DepsOf) -> Response:
    # The session's address is the one membership signed in: registrations are found by it alone.
    registrations = await attendee_views.of_person(deps, session.email or "") if session.email else []
    return pages.render(request, "my_registrations.html", registrations=registrations, section="conferences")

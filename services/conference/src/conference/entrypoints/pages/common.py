"""What the conference's page routers share: finding a conference a visitor may see, and an
attendee's registration by its signed link."""

from typing import Any
from uuid import UUID

from conference.domain.errors import NotFound
from conference.service_layer import attendee_views, catalog
from conference.service_layer.attendee_links import link_is_valid
from conference.service_layer.attendee_views import RegistrationDetails
from conference.service_layer.deps import Deps
from convene_web.access import PageNotFound


async def conference_or_404(deps: Deps, conference_id: UUID) -> dict[str, Any]:
    """The conference with its ticket types and what is left; drafts are not shown to the public."""
    try:
        conference = await catalog.conference_page(deps, conference_id)
    except NotFound:
        raise PageNotFound("conference") from None
    if conference["status"] == "draft":
        raise PageNotFound("conference")
    now = deps.clock()
    conference["registration"] = (
        "closed"
        if conference["status"] == "closed" or now >= conference["registration_closes_at"]
        else "not_yet"
        if now < conference["registration_opens_at"]
        else "open"
    )
    # A conference with a capacity of its own is full for main tickets when that runs out.
    conference["full"] = conference.get("available") == 0
    return conference


async def registration_or_404(deps: Deps, registration_id: UUID, token: str | None) -> RegistrationDetails:
    """The registration the signed link opens; any other link gets "not found", never "forbidden",
    so nobody learns which registrations exist."""
    if not token or not link_is_valid(deps, registration_id, token):
        raise PageNotFound("registration")
    found = await attendee_views.details(deps, registration_id)
    if found is None:
        raise PageNotFound("registration")
    return found

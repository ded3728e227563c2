"""What the conference's operator pages share: their nav section and 404 pages for what is not found."""

from typing import Any
from uuid import UUID

from conference.domain.errors import NotFound
from conference.service_layer import operator_views
from conference.service_layer.deps import Deps
from convene_web.access import PageNotFound

SECTION = "operator-events"  # base.html's "Events admin"


async def the_conference(deps: Deps, conference_id: UUID) -> dict[str, Any]:
    try:
        return await operator_views.conference(deps, conference_id)
    except NotFound:
        raise PageNotFound("conference") from None

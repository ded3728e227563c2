"""The signed-in member's page: their memberships at a glance. (The full member page, with
payments, renewal and privacy, grows from here.)"""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from convene_web.access import MemberPage, PageNotFound
from convene_web.pages import PagesOf
from membership.entrypoints.http.common import DepsOf
from membership.service_layer import self_service
from membership.service_layer.errors import NotFound

router = APIRouter(prefix="/membership", include_in_schema=False)


@router.get("/me")
async def member_page(request: Request, session: MemberPage, pages: PagesOf, deps: DepsOf) -> Response:
    assert session.member_id is not None
    try:
        overview = await self_service.overview(deps, session.member_id)
    except NotFound:
        raise PageNotFound("member") from None  # erased since signing in
    return pages.render(request, "me.html", overview=overview, zone=deps.settings.association_timezone,
                        section="member")  # fmt: skip

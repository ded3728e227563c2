"""A member's data (M10) from their page: download it as JSON (membership's part at once, or every
service's once gathered), or erase it after a confirmation step that says what is kept; then they
are signed out and shown a goodbye page."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from convene_web.access import MemberPage, PageNotFound
from convene_web.csrf import CsrfProtected
from convene_web.forms import posted, validate
from convene_web.pages import PagesOf
from convene_web.sessions import end_session
from membership.domain.errors import NotFound
from membership.domain.model import CURRENT
from membership.entrypoints.http.common import Ctx, DepsOf
from membership.entrypoints.pages.member import own_overview
from membership.service_layer import exports, privacy
from membership.service_layer.deps import Deps
from membership.service_layer.lookups import Overview

router = APIRouter(prefix="/membership", include_in_schema=False)


@router.get("/me/export")
async def export(session: MemberPage, deps: DepsOf) -> Response:
    assert session.member_id is not None
    await own_overview(deps, session.member_id)
    data = await privacy.export(deps, session.member_id)
    return JSONResponse(
        jsonable_encoder(data),
        headers={
            "Content-Disposition": 'attachment; filename="my-membership-data.json"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/me/exports", dependencies=[CsrfProtected])
async def ask_for_everything(session: MemberPage, pages: PagesOf, deps: DepsOf, ctx: Ctx) -> Response:
    """Every service's part arrives over Kafka in its own time: the member is sent to a page
    that says what is still awaited and offers the download once nothing is."""
    assert session.member_id is not None
    await own_overview(deps, session.member_id)
    request_id = await exports.request_export(deps, ctx, session.member_id)
    return pages.redirect(f"/membership/me/exports/{request_id}")


async def _gathered(deps: Deps, member_id: UUID, request_id: UUID) -> tuple[dict[str, Any] | None, list[str]]:
    await own_overview(deps, member_id)
    try:
        return await exports.gathered(deps, member_id, request_id)
    except NotFound:  # another member's, pruned, or never asked: the same answer for all three
        raise PageNotFound("export") from None


@router.get("/me/exports/{request_id}")
async def gathering(request: Request, request_id: UUID, session: MemberPage, pages: PagesOf, deps: DepsOf) -> Response:
    assert session.member_id is not None
    data, waiting = await _gathered(deps, session.member_id, request_id)
    return pages.render(
        request, "export.html", request_id=request_id, ready=data is not None, waiting=waiting, section="member"
    )


@router.get("/me/exports/{request_id}/download")
async def download(request_id: UUID, session: MemberPage, pages: PagesOf, deps: DepsOf) -> Response:
    assert session.member_id is not None
    data, _ = await _gathered(deps, session.member_id, request_id)
    if data is None:  # a download link followed too early goes back to the page that waits
        return pages.redirect(f"/membership/me/exports/{request_id}")
    return JSONResponse(
        jsonable_encoder(data),
        headers={
            "Content-Disposition": 'attachment; filename="my-convene-data.json"',
            "Cache-Control": "no-store",
        },
    )


class EraseConfirmation(BaseModel):
    email: str


def renewing(overview: Overview) -> list[str]:
    """Levels of current memberships that renew by themselves. Erasure keeps memberships, and
    Stripe would go on charging the card with nobody left to tell: those are stopped first."""
    return [level.name for m, level in overview.memberships if m.auto_renew and m.status in CURRENT]


@router.get("/me/erase")
async def erase_form(request: Request, session: MemberPage, pages: PagesOf, deps: DepsOf) -> Response:
    assert session.member_id is not None
    overview = await own_overview(deps, session.member_id)
    return pages.render(request, "erase.html", overview=overview, renewing=renewing(overview), section="member")


@router.post("/me/erase", dependencies=[CsrfProtected])
async def erase(request: Request, session: MemberPage, pages: PagesOf, deps: DepsOf, ctx: Ctx) -> Response:
    assert session.member_id is not None
    overview = await own_overview(deps, session.member_id)
    typed = "Type the email address you are signed in with, exactly as shown above"
    confirmation, form = validate(EraseConfirmation, posted(await request.form()), {"email": typed})
    if confirmation is not None and confirmation.email.strip().lower() != overview.member.email.lower():
        form.errors["email"] = typed
    if renewing(overview):
        form.problem = "Stop automatic renewal first, so your card is not charged after your details are gone."
    if form.has_errors:
        return pages.render(
            request,
            "erase.html",
            status=400,
            form=form,
            overview=overview,
            renewing=renewing(overview),
            section="member",
        )
    await privacy.erase(deps, ctx, session.member_id)
    response = pages.redirect("/membership/goodbye")
    end_session(request, response)
    return response


@router.get("/goodbye")
async def goodbye(request: Request, pages: PagesOf) -> Response:
    return pages.render(request, "goodbye.html")

"""An organization's contact names the people who hold its seats (M5), up to the level's count.
Seat holders get member prices at conferences while the membership is current."""

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from convene_contracts.email import Email
from convene_web.access import MemberPage, PageNotFound
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted, validate
from convene_web.pages import Pages, PagesOf
from membership.domain.errors import Conflict, NotFound
from membership.entrypoints.http.common import Ctx, DepsOf
from membership.entrypoints.pages.member import own_overview
from membership.service_layer import seats
from membership.service_layer.deps import Deps

router = APIRouter(prefix="/membership/me/memberships/{membership_id}/seats", include_in_schema=False)


class SeatForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    email: Email


MESSAGES = {
    "name": "Enter the seat holder's full name",
    "email": "Enter the seat holder's email address, like name@example.org",
}


async def _seats_page(
    request: Request,
    pages: Pages,
    deps: Deps,
    member_id: UUID,
    membership_id: UUID,
    form: FormState | None = None,
    status: int = 200,
) -> Response:
    overview = await own_overview(deps, member_id)
    found = next(((m, lv) for m, lv in overview.memberships if m.id == membership_id), None)
    if found is None or found[1].seat_count is None:
        raise PageNotFound("membership")
    try:
        held = await seats.list_seats(deps, member_id, membership_id)
    except NotFound:
        raise PageNotFound("membership") from None
    return pages.render(
        request,
        "seats.html",
        status=status,
        form=form or FormState(),
        membership=found[0],
        level=found[1],
        seats=held,
        zone=deps.settings.association_timezone,
        section="member",
    )


@router.get("")
async def seats_page(
    membership_id: UUID, request: Request, session: MemberPage, pages: PagesOf, deps: DepsOf
) -> Response:
    assert session.member_id is not None
    return await _seats_page(request, pages, deps, session.member_id, membership_id)


@router.post("", dependencies=[CsrfProtected])
async def assign_seat(
    membership_id: UUID, request: Request, session: MemberPage, pages: PagesOf, deps: DepsOf, ctx: Ctx
) -> Response:
    assert session.member_id is not None
    seat, form = validate(SeatForm, posted(await request.form()), MESSAGES)
    if seat is not None:
        try:
            await seats.assign_seat(deps, ctx, session.member_id, membership_id, seat.email.lower(), seat.name)
        except NotFound:
            raise PageNotFound("membership") from None
        except Conflict as refused:
            if refused.field == "email":
                form.errors["email"] = "This person holds one of your seats already"
            else:
                form.problem = f"{str(refused)[:1].upper()}{str(refused)[1:]}."
        else:
            return pages.redirect("/membership/me?done=seat-assigned")
    return await _seats_page(request, pages, deps, session.member_id, membership_id, form, status=400)


@router.post("/{seat_id}/remove", dependencies=[CsrfProtected])
async def free_seat(
    membership_id: UUID, seat_id: UUID, session: MemberPage, pages: PagesOf, deps: DepsOf, ctx: Ctx
) -> Response:
    assert session.member_id is not None
    try:
        await seats.remove_seat(deps, ctx, session.member_id, membership_id, seat_id)
    except NotFound:
        raise PageNotFound("seat") from None
    return pages.redirect("/membership/me?done=seat-freed")

"""The public pages: levels with prices and what each includes, the join form, and the page
Stripe sends the applicant back to, which turns into "you are a member" once the webhook lands."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from convene_contracts.email import Email
from convene_service.payments import PaymentProviderUnavailable
from convene_web.access import PageNotFound, PageRateLimit
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted, validate
from convene_web.pages import PagesOf
from membership.domain.errors import Invalid
from membership.domain.model import CURRENT, MembershipStatus
from membership.entrypoints.http.common import Ctx, DepsOf
from membership.service_layer import joining, levels

router = APIRouter(prefix="/membership", include_in_schema=False)


class JoinForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    email: Email
    level: UUID
    organization_name: str | None = Field(default=None, max_length=200)
    auto_renew: bool = False


MESSAGES = {
    "name": "Enter your full name",
    "email": "Enter an email address in the right format, like name@example.org",
    "level": "Choose a membership level",
    "organization_name": "Enter the organization's name (200 characters at most)",
}
FORM_FIELD = {"level_id": "level"}  # the service layer's names for what the form calls otherwise
SETTLED = " ".join(s.value for s in MembershipStatus if s is not MembershipStatus.PENDING)


@router.get("")
async def membership_home(pages: PagesOf) -> Response:
    return pages.redirect("/membership/levels")


@router.get("/levels")
async def levels_page(request: Request, pages: PagesOf, deps: DepsOf) -> Response:
    return pages.render(request, "levels.html", levels=await levels.list_levels(deps), section="levels")


@router.get("/join")
async def join_form(
    request: Request, pages: PagesOf, deps: DepsOf, level: Annotated[str | None, Query(max_length=64)] = None
) -> Response:
    open_levels = await levels.list_levels(deps)
    chosen = level or (str(open_levels[0].id) if len(open_levels) == 1 else "")
    form = FormState(values={"level": chosen})
    return pages.render(request, "join.html", form=form, levels=open_levels, section="levels")


@router.post("/join", dependencies=[CsrfProtected, Depends(PageRateLimit("join"))])
async def join(request: Request, pages: PagesOf, deps: DepsOf, ctx: Ctx) -> Response:
    open_levels = await levels.list_levels(deps)
    application, form = validate(JoinForm, posted(await request.form()), MESSAGES)
    if application is not None:
        try:
            joined = await joining.join(
                deps,
                ctx,
                name=application.name,
                email=application.email.lower(),
                level_id=application.level,
                auto_renew=application.auto_renew,
                organization_name=application.organization_name,
            )
        except Invalid as refused:
            field = FORM_FIELD.get(refused.field, refused.field)
            form.errors[field] = MESSAGES["level"] if field == "level" else str(refused).capitalize()
        except PaymentProviderUnavailable:
            form.problem = "The payment service did not answer, so nothing was charged. Please try again shortly."
            return pages.render(request, "join.html", status=502, form=form, levels=open_levels, section="levels")
        else:
            if joined.checkout_url is None:  # a free level is active at once
                return pages.redirect(f"/membership/joined/{joined.membership.id}")
            return pages.redirect(joined.checkout_url)
    return pages.render(request, "join.html", status=400, form=form, levels=open_levels, section="levels")


@router.get("/joined/{membership_id}")
async def joined_page(membership_id: UUID, request: Request, pages: PagesOf, deps: DepsOf) -> Response:
    found = await joining.application(deps, membership_id)
    if found is None:
        raise PageNotFound("membership")
    membership, level = found
    return pages.render(
        request,
        "joined.html",
        membership=membership,
        level=level,
        member_statuses=CURRENT,
        settled=SETTLED,
        zone=deps.settings.association_timezone,
    )


@router.get("/joined/{membership_id}/status")
async def joined_status(membership_id: UUID, deps: DepsOf) -> JSONResponse:
    """What the return page polls until the webhook has landed."""
    found = await joining.application(deps, membership_id)
    if found is None:
        return JSONResponse({"detail": "no such membership"}, status_code=404)
    return JSONResponse({"status": found[0].status.value}, headers={"Cache-Control": "no-store"})

"""The staff pages (docs/staff.md): everyone's own sessions and API tokens (a new token is shown
once), the owners' list of staff with a form to add one, and the owners' audit log."""

from contextlib import suppress
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from convene_contracts.membership import StaffRole
from convene_service.http import client_address
from convene_web.access import OperatorPage, staff_on_page
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted, validate
from convene_web.pages import PagesOf
from membership.domain.errors import Conflict, Invalid, NotFound
from membership.domain.staff import Actor
from membership.entrypoints.http.common import DepsOf, request_context
from membership.service_layer import audit_log, staff

router = APIRouter(prefix="/membership/operator", include_in_schema=False)
ROLE_NAMES = {
    StaffRole.OWNER: "Owner",
    StaffRole.MEMBERSHIP_STAFF: "Membership staff",
    StaffRole.EVENT_STAFF: "Event staff",
    StaffRole.CHECK_IN: "Check-in only",
    StaffRole.READ_ONLY: "Read-only",
}


class TokenForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    label: str = Field(min_length=1, max_length=200)


class StaffForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)
    role: StaffRole
    password: str = Field(min_length=12, max_length=200)


MESSAGES = {
    "label": "Say what the token is for, in at most 200 characters",
    "name": "Enter the person's name",
    "email": "Enter an email address like name@example.org",
    "role": "Choose a role",
    "password": "Choose a password of at least 12 characters",
}


def actor(request: Request) -> Actor:
    caller = staff_on_page(request)
    return Actor(caller.staff_id, caller.name, caller.role, client_address(request))


async def render_staff_page(
    request: Request, pages: PagesOf, deps: DepsOf, status: int = 200, **shown: Any
) -> Response:
    me = actor(request)
    credentials = await staff.credentials_of(deps, me, me.staff_id)
    now = datetime.now(UTC)
    everyone = await staff.all_staff(deps) if me.role == StaffRole.OWNER else []
    return pages.render(
        request,
        "operator/staff.html",
        status=status,
        me=me,
        live=[c for c in credentials if staff.is_live(c, now)],
        everyone=everyone,
        roles=[(r.value, ROLE_NAMES[r]) for r in StaffRole],
        role_names={r.value: n for r, n in ROLE_NAMES.items()},
        section="operator",
        **({"form": FormState()} | shown),
    )


@router.get("/staff")
async def staff_page(request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage) -> Response:
    return await render_staff_page(request, pages, deps)


@router.post("/staff/tokens", dependencies=[CsrfProtected])
async def new_token(request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage) -> Response:
    entered, form = validate(TokenForm, posted(await request.form()), MESSAGES)
    if entered is None:
        return await render_staff_page(request, pages, deps, status=400, token_form=form)
    me = actor(request)
    issued = await staff.issue_api_token(deps, await request_context(request), me, me.staff_id, entered.label)
    return await render_staff_page(request, pages, deps, issued=issued)  # shown this once, never again


@router.post("/staff/credentials/{credential_id}/revoke", dependencies=[CsrfProtected])
async def revoke(
    credential_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    with suppress(NotFound):  # revoked already, or not the visitor's: the page shows what is live
        await staff.revoke_credential(deps, await request_context(request), actor(request), credential_id)
    return pages.redirect("/membership/operator/staff")


@router.post("/staff/new", dependencies=[CsrfProtected])
async def add_staff(request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage) -> Response:
    entered, form = validate(StaffForm, posted(await request.form()), MESSAGES)
    if entered is not None:
        try:
            await staff.add_staff(
                deps,
                await request_context(request),
                actor(request),
                entered.email.lower(),
                entered.name,
                entered.role,
                entered.password,
            )
        except (Conflict, Invalid) as refused:
            form.errors[refused.field or "email"] = str(refused)
        else:
            return pages.redirect("/membership/operator/staff")
    return await render_staff_page(request, pages, deps, status=400, form=form)


@router.get("/audit-log")
async def audit_log_page(request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage) -> Response:
    entries = await audit_log.entries(deps, limit=200)
    return pages.render(request, "operator/audit_log.html", entries=entries, section="operator")


@router.get("/audit-log.csv")
async def audit_log_csv(deps: DepsOf, operator: OperatorPage) -> Response:
    return PlainTextResponse(
        await audit_log.export_csv(deps),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"', "Cache-Control": "no-store"},
    )

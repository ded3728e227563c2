"""Owners change a staff member's role and remove a person on the staff page (docs/staff.md),
through the same use cases as `PATCH` and `DELETE /staff/{id}`: the audit log records them and
the person is signed out everywhere. Removing asks first, on a page of its own."""

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from convene_contracts.membership import StaffRole
from convene_web.access import OperatorPage, PageNotFound
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted, validate
from convene_web.pages import PagesOf
from membership.domain.errors import Conflict, NotFound
from membership.domain.staff import StaffMember
from membership.entrypoints.http.common import DepsOf, request_context
from membership.entrypoints.pages.operator_staff import ROLE_NAMES, actor, render_staff_page
from membership.service_layer import staff

router = APIRouter(prefix="/membership/operator/staff", include_in_schema=False)
STAFF_PAGE = "/membership/operator/staff"


class RoleForm(BaseModel):
    role: StaffRole


def refused(who: str, why: Conflict) -> FormState:
    """What the staff page says when a change is refused (the last owner), above the staff list."""
    return FormState(problem=f"{who} was not changed: {why}.")


async def _someone(deps: DepsOf, staff_id: UUID) -> StaffMember:
    found = [s for s in await staff.all_staff(deps) if s.id == staff_id and s.active]
    if not found:
        raise PageNotFound("staff member")
    return found[0]


@router.post("/{staff_id}/role", dependencies=[CsrfProtected], summary="Change a staff member's role")
async def change_staff(
    staff_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    """A new role signs the person out everywhere: their next page asks them to sign in again."""
    person = await _someone(deps, staff_id)
    entered, form = validate(RoleForm, posted(await request.form()), {"role": "Choose one of the roles"})
    if entered is None:
        problem = FormState(problem=f"{person.name} was not changed: choose one of the roles.", errors=form.errors)
        return await render_staff_page(request, pages, deps, status=400, change=problem)
    try:
        await staff.change_staff(deps, await request_context(request), actor(request), staff_id, role=entered.role)
    except NotFound:
        raise PageNotFound("staff member") from None
    except Conflict as why:
        return await render_staff_page(request, pages, deps, status=409, change=refused(person.name, why))
    return pages.redirect(STAFF_PAGE)


@router.get("/{staff_id}/remove")
async def confirm_removal(
    staff_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    person = await _someone(deps, staff_id)
    return pages.render(
        request,
        "operator/staff_remove.html",
        person=person,
        role_name=ROLE_NAMES[person.role],
        section="operator",
    )


@router.post(
    "/{staff_id}/remove",
    dependencies=[CsrfProtected],
    summary="Remove a staff member: signed out and refused everywhere",
)
async def remove_staff(
    staff_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    """Deactivates the person and revokes every session and API token they have."""
    person = await _someone(deps, staff_id)
    try:
        await staff.remove_staff(deps, await request_context(request), actor(request), staff_id)
    except NotFound:
        raise PageNotFound("staff member") from None
    except Conflict as why:
        return await render_staff_page(request, pages, deps, status=409, change=refused(person.name, why))
    return pages.redirect(STAFF_PAGE)

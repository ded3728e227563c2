"""Who may see a page: dependencies for member and operator pages, and page-friendly refusals.

A member page sends anyone else to the membership sign-in page; an operator page answers 403 to
a member's session (never reachable with one) and sends a visitor without a session to the
operator sign-in page of the same service.
"""

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request

from convene_service.http import RateLimit, client_address, runtime_of
from convene_service.staff import StaffCaller, allowed_roles, note_staff_change
from convene_web.pages import pages_of
from convene_web.sessions import Session, current_session, here, settings_of


class SignInRequired(Exception):
    """The page needs a session the visitor lacks: they are sent to `location` to sign in."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class OperatorsOnly(Exception):
    """A member's session asked for an operator page."""


class RoleRefused(Exception):
    """A signed-in staff member whose role does not allow this page or form."""

    def __init__(self, role: str) -> None:
        super().__init__(role)
        self.role = role


class PageNotFound(Exception):
    """No such thing, or not the visitor's to see: a 404 page saying `what` was not found."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class TooManyAttempts(Exception):
    def __init__(self, retry_after: str) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


async def require_member_page(request: Request) -> Session:
    session = current_session(request)
    if session is None or not session.is_member:
        back = quote(here(request, pages_of(request).base_url), safe="")
        raise SignInRequired(f"{settings_of(request).membership_pages_url}/membership/sign-in?next={back}")
    return session


async def staff_of_page(request: Request) -> StaffCaller | None:
    """The staff member behind the visitor's session, checked against the service's staff
    directory (removed, or the session revoked: None), or None without a staff session."""
    if "convene_staff" in request.scope.get("state", {}):
        found: StaffCaller | None = request.state.convene_staff
        return found
    session = current_session(request)
    directory = runtime_of(request).staff
    caller = None
    if session is not None and session.staff_id and session.credential_id and directory is not None:
        caller = await directory.find(session.staff_id, session.credential_id)
    request.state.convene_staff = caller
    return caller


async def require_operator_page(request: Request) -> Session:
    """A staff member's page: the role must be one the service's map allows for this route."""
    session = current_session(request)
    if session is not None and session.kind == "member":
        raise OperatorsOnly()
    caller = await staff_of_page(request)
    if session is None or caller is None:  # none, or signed out elsewhere: sign in again
        query = f"?{request.url.query}" if request.url.query else ""
        back = quote(f"{request.url.path}{query}", safe="")
        raise SignInRequired(f"{pages_of(request).prefix}/operator/sign-in?next={back}")
    route = request.scope.get("route")
    roles = allowed_roles(runtime_of(request).staff_roles, request.method, getattr(route, "path", request.url.path))
    if caller.role not in roles:
        raise RoleRefused(caller.role.value)
    request.state.staff = caller
    note_staff_change(caller, request.method, route, request.path_params, client_address(request))
    return session


def staff_on_page(request: Request) -> StaffCaller:
    """The staff member an operator page let in (after `OperatorPage`)."""
    caller: StaffCaller = request.state.staff
    return caller


class PageRateLimit(RateLimit):
    """convene_service's RateLimit (counted in Postgres for every instance), answered with a page
    instead of JSON."""

    async def __call__(self, request: Request) -> None:
        try:
            await super().__call__(request)
        except HTTPException as error:
            raise TooManyAttempts((error.headers or {}).get("Retry-After", "60")) from None


MemberPage = Annotated[Session, Depends(require_member_page)]
OperatorPage = Annotated[Session, Depends(require_operator_page)]

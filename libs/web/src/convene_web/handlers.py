"""How refusals on pages look: a redirect to sign in, or a page that says what happened.

Each service adds `EXCEPTION_HANDLERS` to its ServiceSpec next to its own.
"""

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from convene_web.access import OperatorsOnly, PageNotFound, RoleRefused, SignInRequired, TooManyAttempts
from convene_web.csrf import CsrfRejected
from convene_web.pages import pages_of


def _refusal(request: Request, status: int, title: str, message: str, **headers: str) -> HTMLResponse:
    response = pages_of(request).render(request, "refused.html", status=status, title=title, message=message)
    response.headers.update(headers)
    return response


async def sign_in_required(request: Request, error: SignInRequired) -> Response:
    return RedirectResponse(error.location, status_code=303, headers={"Cache-Control": "no-store"})


async def operators_only(request: Request, error: OperatorsOnly) -> Response:
    return _refusal(
        request,
        403,
        "Operators only",
        "You are signed in as a member. This page is for the association's staff: sign out, then "
        "sign in with your staff account.",
    )


async def role_refused(request: Request, error: RoleRefused) -> Response:
    role = error.role.replace("_", " ")
    return _refusal(
        request,
        403,
        "Not for your role",
        f"You are signed in as {role} staff, and this role may not do this. Nothing was changed. "
        "Ask an owner of the association's account if you need it.",
    )


async def csrf_rejected(request: Request, error: CsrfRejected) -> Response:
    return _refusal(
        request,
        403,
        "This form could not be accepted",
        "Nothing was saved. The form was open for too long or did not come from this site. Go back, "
        "reload the page and send it again.",
    )


async def page_not_found(request: Request, error: PageNotFound) -> Response:
    return _refusal(request, 404, "Page not found", f"We could not find this {error.what}. Check the address.")


async def too_many_attempts(request: Request, error: TooManyAttempts) -> Response:
    return _refusal(
        request,
        429,
        "Too many attempts",
        f"Nothing was sent. Please wait {error.retry_after} seconds and try again.",
        **{"Retry-After": error.retry_after},
    )


EXCEPTION_HANDLERS: dict[type[Exception], Any] = {
    SignInRequired: sign_in_required,
    OperatorsOnly: operators_only,
    RoleRefused: role_refused,
    CsrfRejected: csrf_rejected,
    PageNotFound: page_not_found,
    TooManyAttempts: too_many_attempts,
}

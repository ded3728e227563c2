"""Signing in with the emailed link (M9), as pages: ask for a link, then open it.

Opening the link shows a "Sign in" button rather than signing in at once: mail scanners that
follow links would otherwise use up the single-use link before the member sees it.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from convene_contracts.email import Email
from convene_web.access import PageRateLimit
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted, validate
from convene_web.pages import PagesOf
from convene_web.sessions import is_safe_next, start_session
from membership.entrypoints.http.common import Ctx, DepsOf
from membership.service_layer import sign_in

router = APIRouter(prefix="/membership", include_in_schema=False)
Next = Annotated[str | None, Query(max_length=2000)]


class SignInForm(BaseModel):
    email: Email


@router.get("/sign-in")
async def sign_in_form(request: Request, pages: PagesOf, next: Next = None) -> Response:
    form = FormState(values={"next": next or ""})
    return pages.render(request, "sign_in.html", form=form, section="sign-in")


@router.post("/sign-in", dependencies=[CsrfProtected, Depends(PageRateLimit("sign-in"))])
async def ask_for_link(request: Request, pages: PagesOf, deps: DepsOf, ctx: Ctx) -> Response:
    values = posted(await request.form())
    asked, form = validate(
        SignInForm, values, {"email": "Enter an email address in the right format, like name@example.org"}
    )
    if asked is None:
        return pages.render(request, "sign_in.html", status=400, form=form, section="sign-in")
    back = values.get("next") if is_safe_next(pages.settings, values.get("next")) else None
    await sign_in.request_link(deps, ctx, asked.email.lower(), return_to=back)
    return pages.render(
        request, "sign_in_sent.html", email=asked.email, minutes=deps.settings.sign_in_link_minutes, section="sign-in"
    )


@router.get("/sign-in/{token}")
async def open_link(token: str, request: Request, pages: PagesOf, next: Next = None) -> Response:
    return pages.render(request, "sign_in_link.html", token=token, next=next or "", section="sign-in")


@router.post("/sign-in/{token}", dependencies=[CsrfProtected])
async def use_link(token: str, request: Request, pages: PagesOf, deps: DepsOf) -> Response:
    signed_in = await sign_in.redeem_link(deps, token)
    if signed_in is None:
        return pages.render(request, "sign_in_failed.html", status=400, section="sign-in")
    target = posted(await request.form()).get("next", "")
    response = pages.redirect(target if is_safe_next(pages.settings, target) else "/membership/me")
    start_session(request, response, "member", signed_in.member_id, signed_in.email)
    return response

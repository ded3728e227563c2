"""The unsubscribe page (N4): the footer of a reminder links here; the page says what stops and
what still comes, and a confirm button (a CSRF-protected form) unsubscribes. Mail clients' own
one-click button posts to the JSON API's /unsubscribe instead, which stays as it is."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from convene_web.csrf import CsrfProtected
from convene_web.forms import posted
from convene_web.pages import Pages, PagesOf
from notifications.domain.errors import AlreadyUnsubscribed, NotOurLink
from notifications.entrypoints.http.common import DepsOf
from notifications.service_layer import preferences

router = APIRouter(prefix="/mail", include_in_schema=False)
Signed = Annotated[str, Query(max_length=320)]


def broken(request: Request, pages: Pages) -> Response:
    return pages.render(request, "unsubscribe_link_broken.html", status=400)


@router.get("/unsubscribe")
async def unsubscribe_page(
    request: Request, deps: DepsOf, pages: PagesOf, email: Signed = "", sig: Signed = ""
) -> Response:
    if not email:  # a link without its address: not one of ours either
        return broken(request, pages)
    try:
        done = await preferences.is_unsubscribed(deps, email, sig)
    except NotOurLink:
        return broken(request, pages)
    return pages.render(request, "unsubscribe.html", email=email.lower(), sig=sig, done=done)


@router.post("/unsubscribe", dependencies=[CsrfProtected])
async def unsubscribe(request: Request, deps: DepsOf, pages: PagesOf) -> Response:
    values = posted(await request.form())
    email, sig = values.get("email", ""), values.get("sig", "")
    if not email:
        return broken(request, pages)
    try:
        await preferences.unsubscribe(deps, email, sig)
    except NotOurLink:
        return broken(request, pages)
    except AlreadyUnsubscribed:
        pass  # a second press changes nothing and says the same
    return pages.redirect(f"/mail/unsubscribe?{urlencode({'email': email.lower(), 'sig': sig})}")

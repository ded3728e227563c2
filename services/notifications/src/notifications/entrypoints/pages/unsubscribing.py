"""The unsubscribe page (N4): the footer of a reminder links here; the page says what stops and
what still comes, and a confirm button (a CSRF-protected form) unsubscribes. Mail clients' own
one-click button posts to the JSON API's /unsubscribe instead, which stays as it is."""

import hmac
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from convene_service.http import runtime_of
from convene_web.csrf import CsrfProtected
from convene_web.forms import posted
from convene_web.pages import PagesOf
from notifications.service_layer import preferences
from notifications.service_layer.intake import Intake

router = APIRouter(prefix="/mail", include_in_schema=False)
Signed = Annotated[str, Query(max_length=320)]


def _signed_by_us(request: Request, email: str, sig: str) -> Intake | None:
    intake = runtime_of(request).deps_as(Intake)
    good = bool(email) and hmac.compare_digest(intake.unsubscribe_signature(email), sig)
    return intake if good else None


@router.get("/unsubscribe")
async def unsubscribe_page(request: Request, pages: PagesOf, email: Signed = "", sig: Signed = "") -> Response:
    intake = _signed_by_us(request, email, sig)
    if intake is None:
        return pages.render(request, "unsubscribe_link_broken.html", status=400)
    done = await preferences.is_unsubscribed(intake.pool, email)
    return pages.render(request, "unsubscribe.html", email=email.lower(), sig=sig, done=done)


@router.post("/unsubscribe", dependencies=[CsrfProtected])
async def unsubscribe(request: Request, pages: PagesOf) -> Response:
    values = posted(await request.form())
    email, sig = values.get("email", ""), values.get("sig", "")
    intake = _signed_by_us(request, email, sig)
    if intake is None:
        return pages.render(request, "unsubscribe_link_broken.html", status=400)
    await preferences.unsubscribe(intake.pool, email)  # a second press changes nothing and says the same
    return pages.redirect(f"/mail/unsubscribe?{urlencode({'email': email.lower(), 'sig': sig})}")

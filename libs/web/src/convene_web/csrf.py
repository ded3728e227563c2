"""CSRF protection for every form: a signed double-submit token.

The browser holds a random `convene_csrf` cookie (HttpOnly, SameSite=Strict); each form carries
an HMAC of it keyed with SESSION_SECRET in the hidden field `csrf_token`. Another site can make a
browser post to us, but it can neither read the cookie nor compute the HMAC, and a cookie it
might plant (from a sibling domain) has no matching HMAC without our secret.
"""

import hashlib
import hmac
import secrets

from fastapi import Depends, Request, Response

from convene_web.sessions import settings_of

CSRF_COOKIE = "convene_csrf"
CSRF_FIELD = "csrf_token"


class CsrfRejected(Exception):
    """A form post without a valid token pair: answered with a 403 page, nothing written."""


def _mac(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), b"convene-csrf:" + value.encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The hidden field's value for this visitor, making them a cookie if they have none yet."""
    value = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_cookie", None)
    if not value:
        value = secrets.token_urlsafe(32)
        request.state.new_csrf_cookie = value  # set on the response by `keep_csrf_cookie`
    return _mac(settings_of(request).session_secret, value)


def keep_csrf_cookie(request: Request, response: Response) -> None:
    """Sends the cookie a rendered form's token was made from, if it is new."""
    value = getattr(request.state, "new_csrf_cookie", None)
    if value:
        response.set_cookie(
            CSRF_COOKIE, value, path="/", httponly=True, samesite="strict", secure=settings_of(request).cookie_secure
        )


async def require_csrf(request: Request) -> None:
    """Every page POST depends on this: no valid cookie-and-field pair, no effect."""
    form = await request.form()  # Starlette keeps the parsed form, so the route reads it again for free
    cookie = request.cookies.get(CSRF_COOKIE)
    field = form.get(CSRF_FIELD)
    expected = _mac(settings_of(request).session_secret, cookie) if cookie else ""
    if not cookie or not isinstance(field, str) or not hmac.compare_digest(expected.encode(), field.encode()):
        raise CsrfRejected()


CsrfProtected = Depends(require_csrf)

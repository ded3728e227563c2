"""Who may see a page: dependencies for member and operator pages, and page-friendly refusals.

A member page sends anyone else to the membership sign-in page; an operator page answers 403 to
a member's session (never reachable with one) and sends a visitor without a session to the
operator sign-in page of the same service.
"""

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request

from convene_service.http import RateLimit
from convene_web.pages import pages_of
from convene_web.sessions import Session, current_session, here, settings_of


class SignInRequired(Exception):
    """The page needs a session the visitor lacks: they are sent to `location` to sign in."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class OperatorsOnly(Exception):
    """A member's session asked for an operator page."""


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


async def require_operator_page(request: Request) -> Session:
    session = current_session(request)
    if session is None:
        query = f"?{request.url.query}" if request.url.query else ""
        back = quote(f"{request.url.path}{query}", safe="")
        raise SignInRequired(f"{pages_of(request).prefix}/operator/sign-in?next={back}")
    if not session.is_operator:
        raise OperatorsOnly()
    return session


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

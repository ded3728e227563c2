"""Who is looking at a page: one signed cookie, `convene_session`, that every service can read.

The cookie carries {kind, member_id, email, exp} (a staff member's also staff_id and
credential_id), signed with SESSION_SECRET (itsdangerous), so any service checks it without asking
membership; a staff session is then checked against the service's staff directory on each page.
It is HttpOnly (scripts cannot read it),
SameSite=Lax (sent when a person follows a link from an email or from Stripe, not with a
cross-site form post) and Secure unless COOKIE_SECURE=false.
"""

import time
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit
from uuid import UUID

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeSerializer

from convene_service.http import runtime_of
from convene_web.settings import WebSettings

SESSION_COOKIE = "convene_session"
Kind = Literal["member", "operator"]


@dataclass(frozen=True)
class Session:
    kind: Kind
    member_id: UUID | None
    email: str | None
    expires_at: int  # unix seconds
    staff_id: UUID | None = None  # an operator's session names the staff member and its credential,
    credential_id: UUID | None = None  # which every service checks against its staff directory

    @property
    def is_member(self) -> bool:
        return self.kind == "member" and self.member_id is not None

    @property
    def is_operator(self) -> bool:
        return self.kind == "operator" and self.staff_id is not None and self.credential_id is not None


def settings_of(request: Request) -> WebSettings:
    settings = runtime_of(request).settings
    assert isinstance(settings, WebSettings), "a service with pages has settings that extend WebSettings"
    return settings


def _serializer(settings: WebSettings) -> URLSafeSerializer:
    # The salt keeps a session cookie from ever being accepted as another signed value.
    return URLSafeSerializer(settings.session_secret, salt="convene-session")


def current_session(request: Request) -> Session | None:
    """The visitor's session, or None when there is none, it is forged or it has expired."""
    if "convene_session" in request.scope.get("state", {}):
        found: Session | None = request.state.convene_session
        return found
    session = _read(settings_of(request), request.cookies.get(SESSION_COOKIE))
    request.state.convene_session = session
    return session


def _read(settings: WebSettings, cookie: str | None) -> Session | None:
    if not cookie:
        return None
    try:
        data: Any = _serializer(settings).loads(cookie)
        session = Session(
            kind=data["kind"],
            member_id=UUID(data["member_id"]) if data.get("member_id") else None,
            email=data.get("email"),
            expires_at=int(data["exp"]),
            staff_id=UUID(data["staff_id"]) if data.get("staff_id") else None,
            credential_id=UUID(data["credential_id"]) if data.get("credential_id") else None,
        )
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    if session.kind not in ("member", "operator") or session.expires_at <= time.time():
        return None
    return session


def _cookie_flags(settings: WebSettings) -> dict[str, Any]:
    return {"path": "/", "httponly": True, "samesite": "lax", "secure": settings.cookie_secure}


def signed(settings: WebSettings, session: Session) -> str:
    """The cookie value for `session` (tests use it to arrive already signed in)."""
    member_id = str(session.member_id) if session.member_id else None
    data = {"kind": session.kind, "member_id": member_id, "email": session.email, "exp": session.expires_at}
    if session.staff_id and session.credential_id:
        data |= {"staff_id": str(session.staff_id), "credential_id": str(session.credential_id)}
    return str(_serializer(settings).dumps(data))


def start_session(
    request: Request,
    response: Response,
    kind: Kind,
    member_id: UUID | None = None,
    email: str | None = None,
    staff: tuple[UUID, UUID] | None = None,
) -> Session:
    """Signs the visitor in on `response`: a member by the emailed link, a staff member (`staff`:
    their id and the session's credential id) by their password."""
    settings = settings_of(request)
    hours = settings.member_session_hours if kind == "member" else settings.operator_session_hours
    staff_id, credential_id = staff or (None, None)
    session = Session(kind, member_id, email, int(time.time()) + hours * 3600, staff_id, credential_id)
    response.set_cookie(SESSION_COOKIE, signed(settings, session), max_age=hours * 3600, **_cookie_flags(settings))
    request.state.convene_session = session
    return session


def end_session(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, **_cookie_flags(settings_of(request)))
    request.state.convene_session = None


def is_safe_next(settings: WebSettings, target: str | None) -> bool:
    """Where a sign-in may send the visitor afterwards: a path here, or one of our pages' addresses
    (never another site: an open redirect would lend our name to phishing)."""
    # Browsers drop tabs and newlines inside addresses, so "/\t/evil.example" would become "//evil...".
    if not target or not target.isprintable() or " " in target or "\\" in target:
        return False
    if target.startswith("/") and not target.startswith("//"):
        return True
    ours = (settings.membership_pages_url, settings.conference_pages_url, settings.notifications_pages_url)
    parts = urlsplit(target)
    return any(
        (parts.scheme, parts.netloc) == (urlsplit(base).scheme, urlsplit(base).netloc)
        and parts.path.startswith(urlsplit(base).path)
        for base in ours
    )


def here(request: Request, base_url: str) -> str:
    """The address of this page as the visitor sees it (behind the proxy, the one origin)."""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{base_url}{request.url.path}{query}"

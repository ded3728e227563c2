"""Rendering a service's pages: its own templates over the shared ones, one look, safe headers.

Each service builds one `Pages` at start (`runtime.pages`) with its page prefix
(/membership, /events or /mail) and the base address people reach it at.
"""

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

from convene_service.http import runtime_of
from convene_service.spec import Runtime
from convene_web import charts
from convene_web.csrf import CSRF_FIELD, csrf_token, keep_csrf_cookie
from convene_web.formatting import day, money, when
from convene_web.forms import FormState
from convene_web.look import Look
from convene_web.sessions import current_session
from convene_web.settings import WebSettings

SHARED_TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
# Content hashes in the static addresses, so browsers may keep the files for a year.
STATIC_FILES = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:12] for p in STATIC.iterdir() if p.is_file()}

# Scripts and styles only from our own files (no inline code), no framing, no plugins. Images may
# come from anywhere, for the association's logo.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src * data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # sign-in links carry a token in the address
    "Cache-Control": "no-store",  # pages may show personal data
}


@dataclass(frozen=True)
class Links:
    """Addresses of the pages every page may link to, across the three services."""

    levels: str
    join: str
    sign_in: str
    member: str
    conferences: str
    membership_operator: str
    conference_operator: str
    notifications_operator: str

    @classmethod
    def of(cls, settings: WebSettings) -> "Links":
        membership, conference = settings.membership_pages_url, settings.conference_pages_url
        return cls(
            levels=f"{membership}/membership/levels",
            join=f"{membership}/membership/join",
            sign_in=f"{membership}/membership/sign-in",
            member=f"{membership}/membership/me",
            conferences=f"{conference}/events",
            membership_operator=f"{membership}/membership/operator",
            conference_operator=f"{conference}/events/operator",
            notifications_operator=f"{settings.notifications_pages_url}/mail/operator",
        )


StaffSignIn = Callable[[Request, str, str, str], Awaitable[tuple[UUID, UUID] | None]]
"""(request, email, password, code) -> (staff id, new credential id), or None when they do not match."""
StaffSignOut = Callable[[Request, UUID, UUID], Awaitable[None]]


class Pages:
    def __init__(self, settings: WebSettings, prefix: str, base_url: str, templates: Path | None = None) -> None:
        self.settings = settings
        self.prefix = prefix
        self.base_url = base_url
        # Set by the service that owns the staff (membership): checks a staff member's email,
        # password and code and opens a session credential. Elsewhere sign-in is sent there.
        self.sign_in_staff: StaffSignIn | None = None
        self.sign_out_staff: StaffSignOut | None = None  # revokes the session's credential
        self.look = Look.of(settings)
        folders = [str(templates)] if templates else []
        # Autoescape everything: every value a person typed goes through here. StrictUndefined: a
        # misspelt name fails the test that renders the page rather than printing nothing.
        self.env = Environment(
            loader=ChoiceLoader([FileSystemLoader([*folders, str(SHARED_TEMPLATES)])]),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["money"] = money
        self.env.filters["day"] = day
        self.env.filters["when"] = when
        self.env.globals.update(
            association=self.look,
            links=Links.of(settings),
            prefix=prefix,
            static=self.static_url,
            csrf_field=CSRF_FIELD,
            charts=charts,
        )

    def static_url(self, name: str) -> str:
        if name == "theme.css":
            return f"{self.prefix}/static/theme.css?v={hashlib.sha256(self.look.css().encode()).hexdigest()[:12]}"
        return f"{self.prefix}/static/{name}?v={STATIC_FILES[name]}"

    def render(self, request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        context: dict[str, Any] = {
            "request": request,
            "session": current_session(request),
            "csrf_token": lambda: csrf_token(request),
            "section": None,
            "form": FormState(),
        }
        html = self.env.get_template(template).render(context | values)
        response = HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)
        keep_csrf_cookie(request, response)
        return response

    def redirect(self, location: str) -> RedirectResponse:
        """After a form post: 303, so a reload does not post again."""
        return RedirectResponse(location, status_code=303, headers={"Cache-Control": "no-store"})


def pages_of(request: Request) -> Pages:
    pages = runtime_of(request).pages
    if not isinstance(pages, Pages):
        raise TypeError("this service has no pages: its start did not call install_pages")
    return pages


async def _pages(request: Request) -> Pages:  # async: FastAPI runs plain functions on a worker thread
    return pages_of(request)


PagesOf = Annotated[Pages, Depends(_pages)]


def install_pages(runtime: Runtime, prefix: str, templates: Path | None = None) -> Pages:
    """Called from a service's start: its pages under `prefix`, its templates over the shared ones."""
    settings = runtime.settings
    assert isinstance(settings, WebSettings), "a service with pages has settings that extend WebSettings"
    base_url = {
        "/membership": settings.membership_pages_url,
        "/events": settings.conference_pages_url,
        "/mail": settings.notifications_pages_url,
    }[prefix]
    pages = Pages(settings, prefix, base_url, templates)
    runtime.pages = pages
    return pages

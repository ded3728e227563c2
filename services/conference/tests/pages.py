"""Helpers for the conference pages' HTTP tests: the CSRF field of a rendered form, a member
known to the conference (as membership's events make one), and that member signed in."""

import re
import time
from uuid import uuid4

import httpx

from conference.adapters.members import on_membership_event
from convene_web.sessions import SESSION_COOKIE, Session, signed
from tests.support.events import activated

from .conftest import Conference

QUESTIONS = [
    {"key": "dietary", "label": "Dietary needs", "type": "text"},
    {
        "key": "role",
        "label": "Your role",
        "type": "choice",
        "required": True,
        "choices": ["Officer", "Dispatcher", "Clinician"],
    },
    {"key": "first_time", "label": "Is this your first CIT conference?", "type": "yes_no", "required": True},
]


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert found, f"no CSRF field on {page.url}"
    return found[1]


def path_of(location: str) -> str:
    """A link to the pages, without the pages' base address (the test client has its own)."""
    return re.sub(r"^https?://[^/]+", "", location)


async def member(conference: Conference, sign_in: bool = True) -> str:
    """A member the conference knows from a membership.activated event; signed in if asked."""
    email = f"member-{uuid4().hex[:8]}@example.org"
    event = activated(email=email)
    await on_membership_event(conference.pool, event)
    if sign_in:
        session = Session("member", event.payload.member_id, email, int(time.time()) + 3600)
        conference.client.cookies.set(SESSION_COOKIE, signed(conference.deps.settings, session))
    return email


def signed_in_as(conference: Conference, email: str) -> dict[str, str]:
    """Headers of one request from a member signed in with `email` (membership proved it)."""
    session = Session("member", uuid4(), email, int(time.time()) + 3600)
    return {"Cookie": f"{SESSION_COOKIE}={signed(conference.deps.settings, session)}"}


async def counts(conference: Conference) -> tuple[int, int, int]:
    """Registrations, waitlist entries and discount-code uses: what a refused form must not change."""
    pool = conference.pool
    return (
        await pool.fetchval("SELECT count(*) FROM registrations"),
        await pool.fetchval("SELECT count(*) FROM waitlist_entries"),
        await pool.fetchval("SELECT coalesce(sum(used), 0) FROM discount_codes"),
    )

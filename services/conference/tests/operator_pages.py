"""Helpers for the operator pages' HTTP-level tests: arriving signed in (as an operator or as a
member), reading a form's CSRF token, and a paid registration to look at."""

import re
import time
from datetime import datetime
from uuid import UUID, uuid4

import httpx

from convene_web.sessions import SESSION_COOKIE, Session, signed
from tests.support.staff import staff_cookie

from .conftest import Conference


def sign_in_as(conference: Conference, kind: str) -> None:
    """The session cookie an operator's (or a member's) sign-in would have set."""
    if kind == "operator":
        conference.client.cookies.set(SESSION_COOKIE, staff_cookie(conference.deps.settings))
        return
    member = (uuid4(), "pat@example.org")
    session = Session(kind, member[0], member[1], int(time.time()) + 3600)  # type: ignore[arg-type]
    conference.client.cookies.set(SESSION_COOKIE, signed(conference.deps.settings, session))


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert found, f"no CSRF field on {page.url}"
    return found[1]


async def token_for(conference: Conference, path: str) -> str:
    page = await conference.client.get(path)
    assert page.status_code == 200, page.text
    return csrf_of(page)


async def paid_registration(
    conference: Conference, conference_id: str, ticket: str, name: str = "Grace Hopper", price: int = 45000
) -> tuple[str, str]:
    """A registration paid through Stripe's webhook: its id and its attendee's ticket code."""
    email = f"{name.split()[0].lower()}-{uuid4().hex[:6]}@example.org"
    body = {
        "payer_name": name,
        "payer_email": email,
        "attendees": [{"name": name, "email": email, "ticket_type_ids": [ticket]}],
    }
    held = await conference.client.post(f"/conferences/{conference_id}/registrations", json=body)
    assert held.status_code == 201, held.text
    registration_id = held.json()["registration_id"]
    assert (await conference.pay(registration_id, price)).status_code == 200
    code = await conference.pool.fetchval(
        "SELECT ticket_code FROM attendees WHERE registration_id = $1", UUID(registration_id)
    )
    assert code is not None
    return registration_id, str(code)


COUNTS = {
    table: f"SELECT count(*) FROM {table}"  # noqa: S608 (fixed names, no input)
    for table in ("conferences", "ticket_types", "discount_codes", "registrations")
}


async def count(conference: Conference, table: str) -> int:
    found: int = await conference.pool.fetchval(COUNTS[table])
    return found


async def checked_in_at(conference: Conference, code: str) -> datetime | None:
    found: datetime | None = await conference.pool.fetchval(
        "SELECT checked_in_at FROM attendees WHERE ticket_code = $1", code
    )
    return found

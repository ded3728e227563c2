"""The check-in screen at the door (C10): type or scan a ticket code, see at a glance whether the
person may go in, undo a mistaken check-in.

A USB scanner types the code and presses Enter, so the screen is one autofocused field in a plain
form. The POST answers 303 back to the screen with the code and the outcome in the address; the
screen then reads the ticket again to show who it is, so it works without scripts and a reload
shows the same answer without checking anyone in twice.
"""

import re
from typing import Annotated, Literal
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from conference.domain.errors import NotFound
from conference.entrypoints.http.common import DepsOf
from conference.entrypoints.pages.operator.common import SECTION
from conference.service_layer import checkin
from convene_web.access import OperatorPage, staff_on_page
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted
from convene_web.pages import PagesOf

router = APIRouter(prefix="/events/operator/check-in", include_in_schema=False)
Outcome = Literal["in", "again", "unknown", "undone", "not-in"]
OUTCOMES: tuple[Outcome, ...] = ("in", "again", "unknown", "undone", "not-in")
A_CODE = re.compile(r"^[A-Z0-9]{4,40}$")
SCREEN = "operator/check_in.html"


def _back(code: str, outcome: Outcome) -> str:
    return f"/events/operator/check-in?{urlencode({'code': code, 'outcome': outcome})}"


def _code(values: dict[str, str]) -> str:
    # Scanners and people add spaces or dashes; the codes themselves are hex digits.
    return re.sub(r"[\s-]", "", values.get("ticket_code", "")).upper()


@router.get("")
async def check_in_screen(
    request: Request,
    pages: PagesOf,
    deps: DepsOf,
    operator: OperatorPage,
    code: Annotated[str, Query(max_length=60)] = "",
    outcome: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    ticket = await checkin.look_up(deps, code) if A_CODE.match(code) else None
    shown = next((o for o in OUTCOMES if o == outcome), None)
    if shown is not None and ticket is None:
        shown = "unknown"  # cancelled since, or an address typed by hand
    at = None
    if ticket is not None and ticket.checked_in_at is not None:
        local = ticket.checked_in_at.astimezone(ZoneInfo(ticket.time_zone))
        at = {"time": f"{local:%H:%M}", "day": f"{local.day} {local:%B %Y}"}
    return pages.render(request, SCREEN, code=code, outcome=shown, ticket=ticket, at=at, section=SECTION)


@router.post("", dependencies=[CsrfProtected])
async def scan(request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage) -> Response:
    code = _code(posted(await request.form()))
    if not code:
        form = FormState(errors={"ticket_code": "Type or scan a ticket code"})
        return pages.render(
            request, SCREEN, status=400, form=form, code="", outcome=None, ticket=None, at=None, section=SECTION
        )
    if not A_CODE.match(code):
        return pages.redirect(_back(code[:40], "unknown"))
    try:
        scanned = await checkin.check_in(deps, code, by=staff_on_page(request).name)
    except NotFound:
        return pages.redirect(_back(code, "unknown"))
    return pages.redirect(_back(code, "in" if scanned.first_time else "again"))


@router.post("/undo", dependencies=[CsrfProtected])
async def undo(request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage) -> Response:
    code = _code(posted(await request.form()))
    if not A_CODE.match(code):
        return pages.redirect("/events/operator/check-in")
    try:
        await checkin.undo(deps, code)
    except NotFound:
        return pages.redirect(_back(code, "not-in"))
    return pages.redirect(_back(code, "undone"))

"""The form that adds a discount code (C6): a percent or an amount off, a number of uses, an
optional window and optionally only some ticket types."""

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from conference.domain.errors import RegistrationRefused
from conference.entrypoints.http.common import DepsOf
from conference.entrypoints.pages.operator.common import SECTION, the_conference
from conference.entrypoints.pages.operator.inputs import decimals_message, maybe_instant, minor_units
from conference.service_layer import catalog, operator_views
from convene_web.access import OperatorPage
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted, validate
from convene_web.pages import PagesOf

router = APIRouter(prefix="/events/operator", include_in_schema=False)


class DiscountCodeForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    code: str = Field(pattern=r"^[A-Za-z0-9_-]{3,50}$")
    percent_off: int | None = Field(default=None, ge=1, le=100)
    amount_off: Decimal | None = Field(default=None, gt=0, le=10_000_000)
    max_uses: int = Field(ge=1, le=1_000_000)
    valid_from: datetime | None = None
    valid_until: datetime | None = None


MESSAGES = {
    "code": "Enter a code of 3 to 50 letters, digits, hyphens or underscores",
    "percent_off": "Enter a whole percent from 1 to 100, or leave it empty",
    "amount_off": "Enter an amount such as 50 or 50.00, or leave it empty",
    "max_uses": "Enter how many times the code can be used, 1 or more",
    "valid_from": "Enter a date and time, or leave it empty",
    "valid_until": "Enter a date and time, or leave it empty",
}


def checked(
    code: DiscountCodeForm, chosen: list[str], ticket_type_ids: set[str], conference: dict[str, Any], form: FormState
) -> dict[str, Any]:
    """The code as the service takes it, with what the fields say together checked."""
    if (code.percent_off is None) == (code.amount_off is None):
        form.errors["percent_off"] = "Give either a percent off or an amount off (one of the two)"
    amount = minor_units(code.amount_off, conference["currency"]) if code.amount_off is not None else None
    if code.amount_off is not None and amount is None:
        form.errors["amount_off"] = decimals_message(conference["currency"])
    if code.valid_from and code.valid_until and code.valid_until <= code.valid_from:
        form.errors["valid_until"] = "The code must stop working after it starts"
    if not set(chosen) <= ticket_type_ids:
        form.errors["ticket_types"] = "Choose among this conference's ticket types"
    zone = conference["time_zone"]
    return {
        "code": code.code,
        "percent_off": code.percent_off,
        "amount_off_minor": amount,
        "max_uses": code.max_uses,
        "valid_from": maybe_instant(code.valid_from, zone),
        "valid_until": maybe_instant(code.valid_until, zone),
        "ticket_type_ids": sorted({UUID(t) for t in chosen}) or None,
    }


async def _render(
    request: Request,
    pages: PagesOf,
    deps: DepsOf,
    conference: dict[str, Any],
    form: FormState,
    chosen: list[str],
    status: int = 200,
) -> Response:
    ticket_types = await operator_views.ticket_types(deps, conference["id"])
    return pages.render(
        request,
        "operator/discount_code_form.html",
        status=status,
        conference=conference,
        ticket_types=ticket_types,
        chosen=chosen,
        form=form,
        section=SECTION,
    )


@router.get("/{conference_id:uuid}/discount-codes/new")
async def new_discount_code_form(
    conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    conference = await the_conference(deps, conference_id)
    return await _render(request, pages, deps, conference, FormState(), [])


@router.post("/{conference_id:uuid}/discount-codes/new", dependencies=[CsrfProtected])
async def add_discount_code(
    conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    conference = await the_conference(deps, conference_id)
    posted_form = await request.form()
    chosen = [t for t in posted_form.getlist("ticket_types") if isinstance(t, str)]
    code, form = validate(DiscountCodeForm, posted(posted_form), MESSAGES)
    if code is not None:
        ours = {str(t["id"]) for t in await operator_views.ticket_types(deps, conference_id)}
        fields = checked(code, chosen, ours, conference, form)
        if not form.errors:
            try:
                await catalog.add_discount_code(deps, conference_id, fields)
            except RegistrationRefused as refused:  # the code is taken in this conference
                form.errors[refused.field] = str(refused).capitalize()
            else:
                return pages.redirect(f"/events/operator/{conference_id}/tickets")
    return await _render(request, pages, deps, conference, form, chosen, status=400)

"""What a conference sells, for operators: its ticket types with seats and prices (C2) and its
discount codes (C6) on one page, and the form that adds a ticket type."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal
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
Price = Annotated[Decimal, Field(decimal_places=2)]  # in the currency's units, as typed; fewer for some
PRICES = ("member_price", "non_member_price", "early_member_price", "early_non_member_price")


class TicketTypeForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    kind: Literal["main", "addon"]
    capacity: int = Field(ge=1, le=1_000_000)
    member_price: Price = Field(ge=0, le=10_000_000)
    non_member_price: Price = Field(ge=0, le=10_000_000)
    early_member_price: Price | None = Field(default=None, ge=0, le=10_000_000)
    early_non_member_price: Price | None = Field(default=None, ge=0, le=10_000_000)
    early_bird_until: datetime | None = None


MESSAGES = {
    "name": "Enter the ticket type's name (200 characters at most)",
    "kind": "Choose whether this is a main ticket or an add-on",
    "capacity": "Enter the number of seats, a whole number of 1 or more",
    "member_price": "Enter the members' price, such as 300 or 300.00 (0 for free)",
    "non_member_price": "Enter the price for everyone else, such as 450 or 450.00 (0 for free)",
    "early_member_price": "Enter the members' early-bird price, or leave it empty",
    "early_non_member_price": "Enter the early-bird price for everyone else, or leave it empty",
    "early_bird_until": "Enter when the early-bird prices end, as a date and time, or leave it empty",
}


def to_minor(ticket: TicketTypeForm, currency: str, form: FormState) -> dict[str, int | None]:
    """Each price in minor units; a price with more decimals than the currency has is an error."""
    prices: dict[str, int | None] = {}
    for name in PRICES:
        amount = getattr(ticket, name)
        prices[name] = None if amount is None else minor_units(amount, currency)
        if amount is not None and prices[name] is None:
            form.errors[name] = decimals_message(currency)
    early = ticket.early_member_price is not None or ticket.early_non_member_price is not None
    if early and ticket.early_bird_until is None:
        form.errors["early_bird_until"] = "Enter when the early-bird prices end"
    if ticket.early_bird_until is not None and not early:
        form.errors["early_member_price"] = "Enter an early-bird price, or leave the end of the early-bird empty"
    return prices


@router.get("/{conference_id:uuid}/tickets")
async def tickets_page(
    conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    conference = await the_conference(deps, conference_id)
    return pages.render(
        request,
        "operator/tickets.html",
        conference=conference,
        ticket_types=await operator_views.ticket_types(deps, conference_id),
        codes=await operator_views.discount_codes(deps, conference_id),
        section=SECTION,
    )


@router.get("/{conference_id:uuid}/ticket-types/new")
async def new_ticket_type_form(
    conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    conference = await the_conference(deps, conference_id)
    return pages.render(
        request,
        "operator/ticket_type_form.html",
        conference=conference,
        form=FormState(values={"kind": "main"}),
        section=SECTION,
    )


@router.post("/{conference_id:uuid}/ticket-types/new", dependencies=[CsrfProtected])
async def add_ticket_type(
    conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    conference = await the_conference(deps, conference_id)
    ticket, form = validate(TicketTypeForm, posted(await request.form()), MESSAGES)
    if ticket is not None:
        prices = to_minor(ticket, conference["currency"], form)
        if not form.errors:
            fields = {
                "name": ticket.name,
                "kind": ticket.kind,
                "capacity": ticket.capacity,
                "member_price_minor": prices["member_price"],
                "non_member_price_minor": prices["non_member_price"],
                "early_member_price_minor": prices["early_member_price"],
                "early_non_member_price_minor": prices["early_non_member_price"],
                "early_bird_until": maybe_instant(ticket.early_bird_until, conference["time_zone"]),
            }
            try:
                await catalog.add_ticket_type(deps, conference_id, fields)
            except RegistrationRefused as refused:  # the name is taken in this conference
                form.errors[refused.field] = str(refused).capitalize()
            else:
                return pages.redirect(f"/events/operator/{conference_id}/tickets")
    return pages.render(
        request, "operator/ticket_type_form.html", status=400, conference=conference, form=form, section=SECTION
    )

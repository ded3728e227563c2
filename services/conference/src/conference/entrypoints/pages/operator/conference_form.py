"""Creating a conference and changing its details (C1), as an operator's form. A new conference
starts as a draft: the operator opens registration from its dashboard once its tickets are set."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from conference.entrypoints.http.common import DepsOf
from conference.entrypoints.pages.operator.common import SECTION, the_conference
from conference.entrypoints.pages.operator.inputs import instant, is_time_zone, local_text, maybe_instant
from conference.service_layer import catalog
from convene_web.access import OperatorPage
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted, validate
from convene_web.pages import PagesOf

router = APIRouter(prefix="/events/operator", include_in_schema=False)


class ConferenceDetails(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    venue: str = Field(default="", max_length=500)
    time_zone: str
    starts_on: date
    ends_on: date
    registration_opens_at: datetime
    registration_closes_at: datetime
    hold_minutes: int = Field(default=15, ge=1, le=1440)
    max_tickets_per_registration: int = Field(default=10, ge=1, le=50)
    full_refund_until: datetime | None = None
    partial_refund_until: datetime | None = None
    partial_refund_percent: int | None = Field(default=None, ge=0, le=100)
    certificate_hours: Decimal = Field(default=Decimal(0), ge=0, le=1000, decimal_places=1)

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not is_time_zone(value):
            raise ValueError("not a time zone")
        return value


class NewConference(ConferenceDetails):
    currency: str = Field(pattern=r"^[A-Za-z]{3}$")
    capacity: int | None = Field(default=None, ge=1, le=1_000_000)


MESSAGES = {
    "name": "Enter the conference's name (200 characters at most)",
    "venue": "Enter the venue in 500 characters at most",
    "time_zone": "Enter a time zone by its full name, such as America/Chicago or Europe/Paris",
    "starts_on": "Enter the first day as a date",
    "ends_on": "Enter the last day as a date",
    "registration_opens_at": "Enter when registration opens, as a date and time",
    "registration_closes_at": "Enter when registration closes, as a date and time",
    "hold_minutes": "Enter the minutes a seat is held while paying, from 1 to 1440",
    "max_tickets_per_registration": "Enter the most tickets one registration may hold, from 1 to 50",
    "full_refund_until": "Enter a date and time, or leave it empty",
    "partial_refund_until": "Enter a date and time, or leave it empty",
    "partial_refund_percent": "Enter a percent from 0 to 100, or leave it empty",
    "certificate_hours": "Enter the hours on each certificate, from 0 to 1000, with one decimal at most",
    "currency": "Enter a three-letter currency code, such as USD or EUR",
    "capacity": "Enter a whole number of seats (1 or more), or leave it empty for no overall limit",
}


def out_of_order(details: ConferenceDetails) -> dict[str, str]:
    """What the fields say together that no single field can: dates in order, a percent for the
    partial refund."""
    errors = {}
    if details.ends_on < details.starts_on:
        errors["ends_on"] = "The last day cannot be before the first day"
    if details.registration_closes_at <= details.registration_opens_at:
        errors["registration_closes_at"] = "Registration must close after it opens"
    if details.partial_refund_until is not None and details.partial_refund_percent is None:
        errors["partial_refund_percent"] = "Enter the percent refunded until the partial refund date"
    return errors


def stored(details: ConferenceDetails, currency: str, capacity: int | None) -> catalog.ConferenceSetup:
    """The form as the service keeps it: instants in UTC. Questions are set through the API."""
    zone = details.time_zone
    return catalog.ConferenceSetup(
        name=details.name,
        venue=details.venue,
        time_zone=zone,
        starts_on=details.starts_on,
        ends_on=details.ends_on,
        registration_opens_at=instant(details.registration_opens_at, zone),
        registration_closes_at=instant(details.registration_closes_at, zone),
        currency=currency,
        capacity=capacity,
        hold_minutes=details.hold_minutes,
        max_tickets_per_registration=details.max_tickets_per_registration,
        full_refund_until=maybe_instant(details.full_refund_until, zone),
        partial_refund_until=maybe_instant(details.partial_refund_until, zone),
        partial_refund_percent=details.partial_refund_percent,
        certificate_hours=float(details.certificate_hours),
        questions=[],
        status="draft",
    )


def shown(conference: dict[str, Any]) -> FormState:
    """A conference's details as its edit form shows them (local times, as they were typed)."""
    zone = conference["time_zone"]
    values = {
        name: str(conference[name])
        for name in (
            "name",
            "venue",
            "time_zone",
            "starts_on",
            "ends_on",
            "hold_minutes",
            "max_tickets_per_registration",
            "certificate_hours",
        )
    }
    for name in ("registration_opens_at", "registration_closes_at", "full_refund_until", "partial_refund_until"):
        values[name] = local_text(conference[name], zone)
    percent = conference["partial_refund_percent"]
    values["partial_refund_percent"] = "" if percent is None else str(percent)
    return FormState(values=values)


@router.get("/new")
async def new_conference_form(request: Request, pages: PagesOf, operator: OperatorPage) -> Response:
    form = FormState(
        values={
            "currency": "USD",
            "hold_minutes": "15",
            "max_tickets_per_registration": "10",
            "certificate_hours": "0",
        }
    )
    return pages.render(request, "operator/conference_form.html", form=form, conference=None, section=SECTION)


@router.post("/new", dependencies=[CsrfProtected])
async def create_conference(request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage) -> Response:
    details, form = validate(NewConference, posted(await request.form()), MESSAGES)
    if details is not None:
        form.errors.update(out_of_order(details))
    if details is None or form.errors:
        return pages.render(
            request, "operator/conference_form.html", status=400, form=form, conference=None, section=SECTION
        )
    conference_id = await catalog.create_conference(deps, stored(details, details.currency.lower(), details.capacity))
    return pages.redirect(f"/events/operator/{conference_id}")


@router.get("/{conference_id:uuid}/edit")
async def edit_conference_form(
    conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    conference = await the_conference(deps, conference_id)
    return pages.render(
        request, "operator/conference_form.html", form=shown(conference), conference=conference, section=SECTION
    )


@router.post("/{conference_id:uuid}/edit", dependencies=[CsrfProtected])
async def change_conference(
    conference_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, operator: OperatorPage
) -> Response:
    conference = await the_conference(deps, conference_id)
    details, form = validate(ConferenceDetails, posted(await request.form()), MESSAGES)
    if details is not None:
        form.errors.update(out_of_order(details))
    if details is None or form.errors:
        return pages.render(
            request, "operator/conference_form.html", status=400, form=form, conference=conference, section=SECTION
        )
    kept = stored(details, conference["currency"], conference["capacity"])
    await catalog.update_conference(deps, conference_id, kept)
    return pages.redirect(f"/events/operator/{conference_id}")

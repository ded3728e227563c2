"""Operator endpoints: conferences (C1), ticket types (C2), discount codes (C6), member status."""

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Query, status
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from conference.entrypoints.http.common import DepsOf
from conference.service_layer import catalog, certificates, checkin, holding, reports
from convene_contracts.email import Email
from convene_delivery.http import Operator

router = APIRouter(tags=["operators"], dependencies=[Operator])


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Question(Input):
    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,40}$")
    label: str = Field(min_length=1, max_length=200)
    type: Literal["text", "choice", "yes_no"]
    required: bool = False
    choices: list[str] = Field(default_factory=list)


class ConferenceIn(Input):
    name: str = Field(min_length=1, max_length=200)
    venue: str = Field(default="", max_length=500)
    time_zone: str = Field(examples=["America/Chicago"])
    starts_on: date
    ends_on: date
    registration_opens_at: AwareDatetime
    registration_closes_at: AwareDatetime
    currency: str = Field(pattern=r"^[a-z]{3}$")
    capacity: int | None = Field(default=None, ge=1, description="For the whole conference, across ticket types.")
    hold_minutes: int = Field(default=15, ge=1, le=1440)
    full_refund_until: AwareDatetime | None = None
    partial_refund_until: AwareDatetime | None = None
    partial_refund_percent: int | None = Field(default=None, ge=0, le=100)
    certificate_hours: float = Field(default=0, ge=0, le=1000)
    questions: list[Question] = Field(default_factory=list)
    status: Literal["draft", "open", "closed"] = "open"

    @model_validator(mode="after")
    def _ordered(self) -> "ConferenceIn":
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        if self.registration_closes_at <= self.registration_opens_at:
            raise ValueError("registration_closes_at must come after registration_opens_at")
        return self


class TicketTypeIn(Input):
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["main", "addon"] = "main"
    capacity: int = Field(ge=1, le=1_000_000)
    member_price_minor: int = Field(ge=0)
    non_member_price_minor: int = Field(ge=0)
    early_member_price_minor: int | None = Field(default=None, ge=0)
    early_non_member_price_minor: int | None = Field(default=None, ge=0)
    early_bird_until: AwareDatetime | None = None


class DiscountCodeIn(Input):
    code: str = Field(pattern=r"^[A-Za-z0-9_-]{3,50}$")
    percent_off: int | None = Field(default=None, ge=1, le=100)
    amount_off_minor: int | None = Field(default=None, ge=1)
    max_uses: int = Field(ge=1)
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None
    ticket_type_ids: list[UUID] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "DiscountCodeIn":
        if (self.percent_off is None) == (self.amount_off_minor is None):
            raise ValueError("give exactly one of percent_off and amount_off_minor")
        return self


class Created(BaseModel):
    id: UUID


@router.post("/conferences", status_code=status.HTTP_201_CREATED, summary="Create a conference, open for registration")
async def create_conference(body: ConferenceIn, deps: DepsOf) -> Created:
    fields = body.model_dump()
    fields["questions"] = [q.model_dump() for q in body.questions]
    return Created(id=await catalog.create_conference(deps, catalog.ConferenceSetup(**fields)))


@router.post("/conferences/{conference_id}/ticket-types", status_code=status.HTTP_201_CREATED)
async def add_ticket_type(conference_id: UUID, body: TicketTypeIn, deps: DepsOf) -> Created:
    return Created(id=await catalog.add_ticket_type(deps, conference_id, body.model_dump()))


@router.post("/conferences/{conference_id}/discount-codes", status_code=status.HTTP_201_CREATED)
async def add_discount_code(conference_id: UUID, body: DiscountCodeIn, deps: DepsOf) -> Created:
    return Created(id=await catalog.add_discount_code(deps, conference_id, body.model_dump()))


class MemberStatus(BaseModel):
    email: Email
    member_pricing: bool


@router.get("/member-pricing", tags=["members"])
async def member_pricing(deps: DepsOf, email: Annotated[Email, Query()]) -> MemberStatus:
    """Whether registrations by this email get member prices, by the conference's own member table."""
    return MemberStatus(email=email, member_pricing=await deps.views.is_member(email))


class CheckInIn(Input):
    ticket_code: str = Field(min_length=4, max_length=40)


@router.post("/check-in", tags=["check-in"], summary="Scan a ticket: once; a second scan says when it was used")
async def check_in(body: CheckInIn, deps: DepsOf) -> JSONResponse:
    scan = await checkin.check_in(deps, body.ticket_code)
    answer = {"name": scan.name, "conference": scan.conference_name, "checked_in_at": scan.checked_in_at.isoformat()}
    if scan.first_time:
        return JSONResponse(answer | {"detail": "checked in"})
    return JSONResponse(
        answer | {"detail": f"already checked in at {scan.checked_in_at:%H:%M:%S} UTC"}, status_code=409
    )


@router.delete(
    "/check-in/{ticket_code}",
    tags=["check-in"],
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Undo a mistaken check-in",
)
async def undo_check_in(ticket_code: str, deps: DepsOf) -> None:
    await checkin.undo(deps, ticket_code)


@router.get("/conferences/{conference_id}/report", tags=["reports"], summary="Per ticket type: sold, held, left")
async def report(conference_id: UUID, deps: DepsOf) -> list[dict[str, Any]]:
    return await reports.summary(deps, conference_id)


@router.get("/conferences/{conference_id}/registrations.csv", tags=["reports"], response_class=PlainTextResponse)
async def registrations_csv(conference_id: UUID, deps: DepsOf) -> PlainTextResponse:
    return PlainTextResponse(
        await reports.registrations_csv(deps, conference_id),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="registrations.csv"'},
    )


@router.post(
    "/conferences/{conference_id}/certificates",
    tags=["certificates"],
    summary="After the conference: certificates for everyone who checked in (once each)",
)
async def issue_certificates(conference_id: UUID, deps: DepsOf) -> dict[str, int]:
    return {"issued": await certificates.issue(deps, conference_id)}


class StatusIn(Input):
    status: Literal["draft", "open", "closed"]


@router.post(
    "/conferences/{conference_id}/status",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Draft, open (registration follows its instants) or closed",
)
async def set_status(conference_id: UUID, body: StatusIn, deps: DepsOf) -> None:
    await catalog.set_status(deps, conference_id, body.status)


class CompIn(Input):
    name: str = Field(min_length=1, max_length=200)
    email: Email
    ticket_type_ids: list[UUID] = Field(min_length=1, max_length=10)


@router.post(
    "/conferences/{conference_id}/comps",
    status_code=status.HTTP_201_CREATED,
    summary="Issue a complimentary registration: a real seat, no payment",
)
async def issue_comp(conference_id: UUID, body: CompIn, deps: DepsOf) -> dict[str, Any]:
    attendee = holding.AttendeeIn(body.name, body.email.lower(), body.ticket_type_ids, {})
    held = await holding.register(
        deps, uuid4(), conference_id, body.name, body.email.lower(), [attendee], None, complimentary=True
    )
    return {"registration_id": held.registration_id, "status": held.status}

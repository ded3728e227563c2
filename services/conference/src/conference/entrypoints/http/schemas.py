"""The HTTP API's request and response bodies: what each endpoint accepts (checked here, before
any use case runs) and answers."""

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

from convene_service.inputs import COUNT_MAX, MONEY_MAX, Day, Instant, Line, Name, Paragraph, Text
from convene_service.inputs import EmailAddress as Email


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


QuestionKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,40}$")]


class Question(Input):
    key: QuestionKey
    label: Name
    type: Literal["text", "choice", "yes_no"]
    required: bool = False
    choices: list[Line] = Field(default_factory=list, max_length=100)


class ConferenceIn(Input):
    name: Name
    venue: Text = Field(default="", max_length=500)
    time_zone: Text = Field(min_length=1, max_length=100, examples=["America/Chicago"])
    starts_on: Day
    ends_on: Day
    registration_opens_at: Instant
    registration_closes_at: Instant
    currency: str = Field(pattern=r"^[a-z]{3}$")
    capacity: int | None = Field(
        default=None, ge=1, le=COUNT_MAX, description="For the whole conference, across ticket types."
    )
    hold_minutes: int = Field(default=15, ge=1, le=1440)
    max_tickets_per_registration: int = Field(
        default=10, ge=1, le=50, description="Attendees one registration may hold (a group's size)."
    )
    full_refund_until: Instant | None = None
    partial_refund_until: Instant | None = None
    partial_refund_percent: int | None = Field(default=None, ge=0, le=100)
    certificate_hours: float = Field(default=0, ge=0, le=1000)
    questions: list[Question] = Field(default_factory=list, max_length=50)
    status: Literal["draft", "open", "closed"] = "open"

    @model_validator(mode="after")
    def _ordered(self) -> "ConferenceIn":
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on is before starts_on")
        if self.registration_closes_at <= self.registration_opens_at:
            raise ValueError("registration_closes_at must come after registration_opens_at")
        return self


class TicketTypeIn(Input):
    name: Name
    kind: Literal["main", "addon"] = "main"
    capacity: int = Field(ge=1, le=COUNT_MAX)
    member_price_minor: int = Field(ge=0, le=MONEY_MAX)
    non_member_price_minor: int = Field(ge=0, le=MONEY_MAX)
    early_member_price_minor: int | None = Field(default=None, ge=0, le=MONEY_MAX)
    early_non_member_price_minor: int | None = Field(default=None, ge=0, le=MONEY_MAX)
    early_bird_until: Instant | None = None


class DiscountCodeIn(Input):
    code: str = Field(pattern=r"^[A-Za-z0-9_-]{3,50}$")
    percent_off: int | None = Field(default=None, ge=1, le=100)
    amount_off_minor: int | None = Field(default=None, ge=1, le=MONEY_MAX)
    max_uses: int = Field(ge=1, le=COUNT_MAX)
    valid_from: Instant | None = None
    valid_until: Instant | None = None
    ticket_type_ids: list[UUID] | None = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def _one_kind(self) -> "DiscountCodeIn":
        if (self.percent_off is None) == (self.amount_off_minor is None):
            raise ValueError("give exactly one of percent_off and amount_off_minor")
        return self


class Created(BaseModel):
    id: UUID


class MemberStatus(BaseModel):
    email: Email
    member_pricing: bool


class CheckInIn(Input):
    ticket_code: Text = Field(min_length=4, max_length=40)


class StatusIn(Input):
    status: Literal["draft", "open", "closed"]


class CompIn(Input):
    name: Name
    email: Email
    ticket_type_ids: list[UUID] = Field(min_length=1, max_length=10)


class AttendeeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Name
    email: Email
    ticket_type_ids: list[UUID] = Field(min_length=1, max_length=10)
    # By question key: text, a choice, yes or no; which keys and values fit is the conference's say.
    answers: dict[QuestionKey, Paragraph | bool | None] = Field(default_factory=dict, max_length=50)


class RegistrationIn(BaseModel):
    """Prices and statuses are never taken from the client: they are computed here."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    payer_name: Name
    payer_email: Email
    attendees: list[AttendeeIn] = Field(min_length=1, max_length=50, description="Several for a group (C9).")
    discount_code: Text | None = Field(default=None, max_length=50)


class RegistrationOut(BaseModel):
    registration_id: UUID
    status: str
    amount_minor: int
    currency: str
    hold_expires_at: datetime
    checkout_url: str | None


class WaitlistIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    ticket_type_id: UUID
    name: Name
    email: Email


class EraseIn(Input):
    confirm: Literal["erase my data"] = Field(description="Type exactly 'erase my data': this cannot be undone.")

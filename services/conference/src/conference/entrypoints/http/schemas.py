"""The HTTP API's request and response bodies: what each endpoint accepts (checked here, before
any use case runs) and answers."""

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from convene_contracts.email import Email


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


class MemberStatus(BaseModel):
    email: Email
    member_pricing: bool


class CheckInIn(Input):
    ticket_code: str = Field(min_length=4, max_length=40)


class StatusIn(Input):
    status: Literal["draft", "open", "closed"]


class CompIn(Input):
    name: str = Field(min_length=1, max_length=200)
    email: Email
    ticket_type_ids: list[UUID] = Field(min_length=1, max_length=10)


class AttendeeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str = Field(min_length=1, max_length=200)
    email: Email
    ticket_type_ids: list[UUID] = Field(min_length=1, max_length=10)
    answers: dict[str, Any] = Field(default_factory=dict)


class RegistrationIn(BaseModel):
    """Prices and statuses are never taken from the client: they are computed here."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    payer_name: str = Field(min_length=1, max_length=200)
    payer_email: Email
    attendees: list[AttendeeIn] = Field(min_length=1, max_length=50, description="Several for a group (C9).")
    discount_code: str | None = Field(default=None, max_length=50)


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
    name: str = Field(min_length=1, max_length=200)
    email: Email

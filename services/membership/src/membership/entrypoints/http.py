"""Membership's HTTP API: levels (M1) and offline payments (M11) so far."""

from datetime import UTC, datetime
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, status
from pydantic import AwareDatetime, BaseModel, EmailStr, Field

from convene_delivery.http import Operator, Pool, field_error
from membership.adapters.repository import LevelNameTaken
from membership.domain.model import MembershipStatus, Term
from membership.service_layer import commands, handlers
from membership.service_layer.unit_of_work import PostgresUnitOfWork

router = APIRouter()

Currency = Field(pattern=r"^[a-z]{3}$", description="ISO 4217 code in lower case, as Stripe writes it.",
                 examples=["usd", "cad", "eur"])  # fmt: skip


class LevelIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["Individual"])
    price_minor: int = Field(ge=0, le=100_000_000, description="Price in the currency's minor unit (cents).")
    currency: str = Currency
    term: Term


class LevelOut(LevelIn):
    id: UUID


class OfflinePaymentIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    level_id: UUID
    amount_minor: int = Field(ge=0, le=100_000_000)
    currency: str = Currency
    method: Literal["cheque", "bank_transfer", "cash"]
    reference: str = Field(min_length=1, max_length=200, description="Cheque number or transfer reference.")
    paid_at: AwareDatetime | None = Field(default=None, description="Defaults to now.")


class MembershipOut(BaseModel):
    id: UUID
    member_id: UUID
    level_id: UUID
    status: MembershipStatus
    period_start: datetime | None
    period_end: datetime | None


@router.post("/levels", status_code=status.HTTP_201_CREATED, dependencies=[Operator], tags=["levels"])
async def create_level(body: LevelIn, pool: Pool) -> LevelOut:
    try:
        level = await handlers.create_level(
            PostgresUnitOfWork(pool), commands.CreateLevel(body.name, body.price_minor, body.currency, body.term)
        )
    except LevelNameTaken:
        raise field_error(409, "name", "a level with this name exists already") from None
    return LevelOut(id=level.id, name=level.name, price_minor=level.price_minor, currency=level.currency,
                    term=level.term)  # fmt: skip


@router.post("/offline-payments", status_code=status.HTTP_201_CREATED, dependencies=[Operator], tags=["dues"])
async def record_offline_payment(body: OfflinePaymentIn, pool: Pool) -> MembershipOut:
    cmd = commands.RecordOfflinePayment(
        name=body.name,
        email=body.email.lower(),
        level_id=body.level_id,
        amount_minor=body.amount_minor,
        currency=body.currency,
        method=body.method,
        reference=body.reference,
        paid_at=body.paid_at or datetime.now(UTC),
        correlation_id=handlers.new_correlation_id(),
    )
    try:
        m = await handlers.record_offline_payment(PostgresUnitOfWork(pool), cmd)
    except handlers.UnknownLevel:
        raise field_error(404, "level_id", "no current level has this id") from None
    except handlers.CurrencyMismatch as error:
        raise field_error(422, "currency", f"the level is priced in {error}") from None
    except handlers.PaymentAlreadyRecorded:
        raise field_error(409, "reference", "a payment with this reference was recorded already") from None
    return MembershipOut(id=m.id, member_id=m.member_id, level_id=m.level_id, status=m.status,
                         period_start=m.period_start, period_end=m.period_end)  # fmt: skip

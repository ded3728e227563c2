"""Operator endpoints: levels (M1), offline payments (M11), member search, history, CSV (M7, M8)."""

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, status

from convene_service.http import Operator
from convene_service.inputs import Offset, QueryInstant, Text
from convene_service.responses import OPERATORS, WITH_BODY, CsvResponse, declared
from membership.domain.model import MembershipStatus
from membership.entrypoints.http.common import Ctx, DepsOf
from membership.entrypoints.http.schemas import LevelEdit, LevelIn, LevelOut, MembershipOut, OfflinePaymentIn
from membership.service_layer import joining, levels, operators

router = APIRouter(tags=["operators"], dependencies=[Operator], responses=OPERATORS | WITH_BODY | declared(404, 409))


@router.post("/levels", status_code=status.HTTP_201_CREATED, summary="Create a level")
async def create_level(body: LevelIn, deps: DepsOf) -> LevelOut:
    return LevelOut.of(await levels.create_level(deps, **body.model_dump()))


@router.patch("/levels/{level_id}", summary="Edit a level; current memberships keep what they paid")
async def edit_level(level_id: UUID, body: LevelEdit, deps: DepsOf) -> LevelOut:
    return LevelOut.of(await levels.edit_level(deps, level_id, body.model_dump(exclude_unset=True)))


@router.post("/levels/{level_id}/retire", summary="Close a level to new members; its members stay")
async def retire_level(level_id: UUID, deps: DepsOf) -> LevelOut:
    return LevelOut.of(await levels.retire_level(deps, level_id))


@router.post(
    "/offline-payments",
    status_code=status.HTTP_201_CREATED,
    tags=["dues"],
    summary="Record a cheque, transfer or cash payment; the membership activates or renews",
)
async def record_offline_payment(body: OfflinePaymentIn, deps: DepsOf, ctx: Ctx) -> MembershipOut:
    membership = await joining.record_offline_payment(
        deps,
        ctx,
        name=body.name,
        email=body.email.lower(),
        level_id=body.level_id,
        amount_minor=body.amount_minor,
        currency=body.currency,
        method=body.method,
        reference=body.reference,
        paid_at=body.paid_at or datetime.now(UTC),
        membership_id=body.membership_id,
    )
    return MembershipOut.of(membership)


Search = Annotated[Text | None, Query(max_length=200, description="Part of a name, email or organization")]
Status = Annotated[MembershipStatus | None, Query()]
ExpiresBefore = Annotated[QueryInstant | None, Query(description="Period ends at or before this instant")]


def _filter(
    q: str | None, status: MembershipStatus | None, expires_before: datetime | None, level_id: UUID | None
) -> operators.MemberFilter:
    return operators.MemberFilter(q, status.value if status else None, expires_before, level_id)


@router.get("/members", summary="Search members by name, email, organization, status, expiry, level")
async def search_members(
    deps: DepsOf,
    q: Search = None,
    status: Status = None,
    expires_before: ExpiresBefore = None,
    level_id: UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[Offset, Query()] = 0,
) -> list[dict[str, Any]]:
    return await operators.search(deps, _filter(q, status, expires_before, level_id), limit, offset)


@router.get("/members.csv", response_class=CsvResponse, summary="The same search as CSV")
async def export_members(
    deps: DepsOf,
    q: Search = None,
    status: Status = None,
    expires_before: ExpiresBefore = None,
    level_id: UUID | None = None,
) -> CsvResponse:
    body = await operators.export_csv(deps, _filter(q, status, expires_before, level_id))
    return CsvResponse(body, headers={"Content-Disposition": 'attachment; filename="members.csv"'})


@router.get("/members/{member_id}", summary="A member's memberships and payment history")
async def member_history(member_id: UUID, deps: DepsOf) -> dict[str, Any]:
    found = await operators.history(deps, member_id)
    if found is None:
        raise HTTPException(404, "no such member")
    return found

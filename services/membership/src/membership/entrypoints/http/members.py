"""A signed-in member's own memberships, payments, seats and data (M5, M6, M7, M9, M10)."""

from uuid import UUID

from fastapi import APIRouter, status
from fastapi.responses import PlainTextResponse

from convene_service.responses import WITH_BODY, declared
from membership.entrypoints.http.common import Ctx, DepsOf, MemberId
from membership.entrypoints.http.schemas import (
    EraseIn,
    LevelChangeIn,
    LevelChangeOut,
    MembershipOut,
    MeOut,
    MyMembership,
    SeatIn,
    SeatOut,
    UrlOut,
)
from membership.service_layer import privacy, seats, self_service
from membership.service_layer.joining import start_renewal

# A member's session (401 without one); their own things only (404 otherwise); Stripe for payments.
router = APIRouter(prefix="/me", tags=["members"], responses=WITH_BODY | declared(401, 404, 409, 502))


@router.get("", summary="My memberships and payment history")
async def me(member_id: MemberId, deps: DepsOf) -> MeOut:
    o = await self_service.overview(deps, member_id)
    mine = [MyMembership(**MembershipOut.of(m).model_dump(), level_name=level.name) for m, level in o.memberships]
    return MeOut(id=o.member.id, name=o.member.name, email=o.member.email, memberships=mine, payments=o.payments)


@router.get("/payments/{payment_id}/receipt", response_class=PlainTextResponse, summary="A receipt for one payment")
async def payment_receipt(payment_id: UUID, member_id: MemberId, deps: DepsOf) -> PlainTextResponse:
    found = await self_service.receipt(deps, member_id, payment_id)
    return PlainTextResponse(
        found.as_text(), headers={"Content-Disposition": f'inline; filename="receipt-{found.number}.txt"'}
    )


@router.post("/memberships/{membership_id}/renewal", summary="Pay for the next period (Stripe Checkout)")
async def renew(membership_id: UUID, member_id: MemberId, deps: DepsOf) -> UrlOut:
    return UrlOut(url=await start_renewal(deps, member_id, membership_id))


@router.post("/memberships/{membership_id}/auto-renew/stop", summary="Stop automatic renewal at the period end")
async def stop_auto_renew(membership_id: UUID, member_id: MemberId, deps: DepsOf) -> MembershipOut:
    return MembershipOut.of(await self_service.stop_auto_renew(deps, member_id, membership_id))


@router.post("/billing-portal", summary="A Stripe Customer Portal link to manage the card")
async def billing_portal(member_id: MemberId, deps: DepsOf) -> UrlOut:
    return UrlOut(url=await self_service.portal_url(deps, member_id))


@router.post("/memberships/{membership_id}/level", summary="Move to another level, prorated")
async def change_level(
    membership_id: UUID, body: LevelChangeIn, member_id: MemberId, deps: DepsOf, ctx: Ctx
) -> LevelChangeOut:
    change = await self_service.change_level(deps, ctx, member_id, membership_id, body.level_id)
    return LevelChangeOut(
        membership=MembershipOut.of(change.membership),
        prorated_minor=change.prorated_minor,
        checkout_url=change.checkout_url,
    )


@router.get("/memberships/{membership_id}/seats", summary="Who holds my organization's seats")
async def list_seats(membership_id: UUID, member_id: MemberId, deps: DepsOf) -> list[SeatOut]:
    return [SeatOut(**s.__dict__) for s in await seats.list_seats(deps, member_id, membership_id)]


@router.post("/memberships/{membership_id}/seats", status_code=status.HTTP_201_CREATED, summary="Assign a seat")
async def assign_seat(membership_id: UUID, body: SeatIn, member_id: MemberId, deps: DepsOf, ctx: Ctx) -> SeatOut:
    seat = await seats.assign_seat(deps, ctx, member_id, membership_id, body.email.lower(), body.name)
    return SeatOut(**seat.__dict__)


@router.delete(
    "/memberships/{membership_id}/seats/{seat_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Free a seat"
)
async def remove_seat(membership_id: UUID, seat_id: UUID, member_id: MemberId, deps: DepsOf, ctx: Ctx) -> None:
    await seats.remove_seat(deps, ctx, member_id, membership_id, seat_id)


@router.get("/export", summary="Everything Convene's membership service holds about me, as JSON")
async def export(member_id: MemberId, deps: DepsOf) -> dict[str, object]:
    return await privacy.export(deps, member_id)


@router.post("/erase", status_code=status.HTTP_204_NO_CONTENT, summary="Erase my personal data (irreversible)")
async def erase(body: EraseIn, member_id: MemberId, deps: DepsOf, ctx: Ctx) -> None:
    await privacy.erase(deps, ctx, member_id)

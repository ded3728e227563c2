"""Organizational seats (M5): the organization's contact assigns seats up to the level's count.
Seat holders count as members (for conference pricing) while the membership is current."""

from uuid import UUID, uuid4

from convene_contracts import Event
from convene_contracts.membership import SeatAssigned, SeatAssignedPayload, SeatPayload, SeatRemoved
from membership.domain.errors import Conflict, InvalidTransition, NotFound, SeatHeldAlready, SeatLimitReached
from membership.domain.model import Seat
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context
from membership.service_layer.lookups import owned_membership


async def list_seats(deps: Deps, member_id: UUID, membership_id: UUID) -> list[Seat]:
    async with deps.uow() as uow:
        await owned_membership(uow, member_id, membership_id)
        return await uow.seats.held(membership_id)


async def assign_seat(deps: Deps, ctx: Context, member_id: UUID, membership_id: UUID, email: str, name: str) -> Seat:
    async with deps.uow() as uow:
        # The membership row is locked: concurrent assignments count seats one at a time.
        membership, member, level = await owned_membership(uow, member_id, membership_id)
        in_use = await uow.seats.count_held(membership_id)
        try:
            membership.check_seat_available(level, in_use)
        except (SeatLimitReached, InvalidTransition) as error:
            raise Conflict(str(error)) from None
        seat = Seat(uuid4(), email, name, deps.clock())
        try:
            await uow.seats.add(membership_id, seat)
        except SeatHeldAlready:
            raise Conflict("this person holds a seat already", field="email") from None
        event: Event = SeatAssigned(
            **ctx.envelope(),
            payload=SeatAssignedPayload(
                member_id=member.id,
                membership_id=membership.id,
                seat_id=seat.id,
                email=email,
                name=name,
                level_id=level.id,
                level_name=level.name,
                organization_name=membership.organization_name,
            ),
        )
        await uow.commit([event])
    return seat


async def remove_seat(deps: Deps, ctx: Context, member_id: UUID, membership_id: UUID, seat_id: UUID) -> None:
    async with deps.uow() as uow:
        membership, member, _ = await owned_membership(uow, member_id, membership_id)
        email = await uow.seats.remove(membership_id, seat_id, deps.clock())
        if email is None:
            raise NotFound("seat")
        await uow.commit(
            [
                SeatRemoved(
                    **ctx.envelope(),
                    payload=SeatPayload(member_id=member.id, membership_id=membership.id, seat_id=seat_id, email=email),
                )
            ]
        )

"""Organizational seats (M5): the organization's contact assigns seats up to the level's count.
Seat holders count as members (for conference pricing) while the membership is current."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

import asyncpg

from convene_contracts import Event
from convene_contracts.membership import SeatAssigned, SeatAssignedPayload, SeatPayload, SeatRemoved
from membership.domain.model import InvalidTransition, SeatLimitReached
from membership.service_layer.deps import Deps
from membership.service_layer.errors import Conflict, NotFound
from membership.service_layer.events import Context
from membership.service_layer.joining import owned_membership
from membership.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Seat:
    id: UUID
    email: str
    name: str
    assigned_at: datetime


async def list_seats(deps: Deps, member_id: UUID, membership_id: UUID) -> list[Seat]:
    async with UnitOfWork(deps.pool) as uow:
        await owned_membership(uow, member_id, membership_id)
        rows = await uow.repo.conn.fetch(
            "SELECT id, email, name, assigned_at FROM seats WHERE membership_id = $1 AND removed_at IS NULL"
            " ORDER BY assigned_at",
            membership_id,
        )
    return [Seat(r["id"], r["email"], r["name"], r["assigned_at"]) for r in rows]


async def assign_seat(deps: Deps, ctx: Context, member_id: UUID, membership_id: UUID, email: str, name: str) -> Seat:
    async with UnitOfWork(deps.pool) as uow:
        # The membership row is locked: concurrent assignments count seats one at a time.
        membership, member, level = await owned_membership(uow, member_id, membership_id)
        in_use = await uow.repo.conn.fetchval(
            "SELECT count(*) FROM seats WHERE membership_id = $1 AND removed_at IS NULL", membership_id
        )
        try:
            membership.check_seat_available(level, in_use)
        except (SeatLimitReached, InvalidTransition) as error:
            raise Conflict(str(error)) from None
        seat = Seat(uuid4(), email, name, deps.clock())
        try:
            await uow.repo.conn.execute(
                "INSERT INTO seats (id, membership_id, email, name, assigned_at) VALUES ($1, $2, $3, $4, $5)",
                seat.id,
                membership_id,
                email,
                name,
                seat.assigned_at,
            )
        except asyncpg.UniqueViolationError:
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
    async with UnitOfWork(deps.pool) as uow:
        membership, member, _ = await owned_membership(uow, member_id, membership_id)
        email = await uow.repo.conn.fetchval(
            "UPDATE seats SET removed_at = $3 WHERE id = $1 AND membership_id = $2 AND removed_at IS NULL"
            " RETURNING email",
            seat_id,
            membership_id,
            deps.clock(),
        )
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

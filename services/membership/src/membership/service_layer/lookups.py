"""Loading a membership together with its member and level, as most use cases need it."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from membership.domain.errors import NotFound
from membership.domain.model import Level, Member, Membership
from membership.service_layer.unit_of_work import UnitOfWork


async def parties(uow: UnitOfWork, membership: Membership) -> tuple[Member, Level]:
    """The member and the level (retired or not) of a membership that exists."""
    member = await uow.members.get(membership.member_id)
    level = await uow.levels.get(membership.level_id, include_retired=True)
    assert member is not None
    assert level is not None
    return member, level


async def owned_membership(
    uow: UnitOfWork, member_id: UUID, membership_id: UUID, *, lock: bool = True
) -> tuple[Membership, Member, Level]:
    """The membership, locked unless `lock` is False (a read before a Stripe call, which must not
    hold the row), if it belongs to `member_id`; NotFound otherwise (never 'not yours')."""
    membership = await (uow.memberships.lock if lock else uow.memberships.get)(membership_id)
    if membership is None or membership.member_id != member_id:
        raise NotFound("membership")
    member = await uow.members.get(member_id)
    level = await uow.levels.get(membership.level_id, include_retired=True)
    assert member is not None
    assert level is not None
    return membership, member, level


@dataclass(frozen=True)
class Overview:
    """A member's own page: who they are, their memberships with their levels, their payments."""

    member: Member
    memberships: list[tuple[Membership, Level]]
    payments: list[dict[str, Any]]


async def member_overview(uow: UnitOfWork, member_id: UUID) -> Overview:
    member = await uow.members.get(member_id)
    if member is None:
        raise NotFound("member")
    memberships = []
    for m in await uow.memberships.of_member(member_id):
        level = await uow.levels.get(m.level_id, include_retired=True)
        assert level is not None
        memberships.append((m, level))
    return Overview(member, memberships, await uow.payments.of_member(member_id))

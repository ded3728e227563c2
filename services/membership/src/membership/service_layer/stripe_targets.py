"""What every Stripe webhook handler shares: finding the membership a Stripe object is about
(locked, with its member and level), and the shape of a handler and of its answer."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from convene_contracts import Event
from membership.domain.model import Level, Member, Membership
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context
from membership.service_layer.unit_of_work import UnitOfWork

Json = dict[str, Any]
Target = tuple[Membership, Member, Level]
OUR_KINDS = {"join", "renewal", "level_change"}


@dataclass(frozen=True)
class Stale:
    """The event is about a period already settled (a late or out-of-order notice): whatever it
    carried that is a fact (a payment) is kept, and the membership is left as it is."""

    reason: str


Handled = list[Event] | Stale
Handler = Callable[[UnitOfWork, Deps, Json, Context, datetime], Awaitable[Handled]]


async def target(uow: UnitOfWork, metadata: Json | None, reference: str | None = None) -> Target | None:
    """The membership a Stripe object is about, locked; None when it is not one of ours."""
    metadata = metadata or {}
    if metadata.get("convene_kind", "join") not in OUR_KINDS:
        return None  # e.g. a conference registration's checkout: not membership's business
    try:
        membership_id = UUID(metadata.get("membership_id") or reference or "")
    except ValueError:
        return None
    membership = await uow.memberships.lock(membership_id)
    return None if membership is None else await with_parties(uow, membership)


async def with_parties(uow: UnitOfWork, membership: Membership) -> Target:
    member = await uow.members.get(membership.member_id)
    level = await uow.levels.get(membership.level_id, include_retired=True)
    assert member is not None
    assert level is not None
    return membership, member, level

"""Privacy (M10): a member's data as JSON, and erasure.

Erasure pseudonymizes the member (name and address replaced, the id kept), removes their seats,
sign-in links, sessions and the published outbox rows that carried their address, and keeps
payment records, which refer to the member only by id. `membership.member_erased` tells the
other services to erase theirs.
"""

from typing import Any
from uuid import UUID

from convene_contracts.membership import MemberErased, MemberErasedPayload
from membership.domain.errors import NotFound
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context
from membership.service_layer.lookups import member_overview

ERASED_NAME = "Erased member"


def erased_email(member_id: UUID) -> str:
    return f"erased-{member_id}@erased.invalid"  # .invalid can never receive mail (RFC 2606)


async def export(deps: Deps, member_id: UUID) -> dict[str, Any]:
    async with deps.uow() as uow:
        o = await member_overview(uow, member_id)
        seats = await uow.views.seats_of(member_id, o.member.email)
    return {
        "member": {"id": o.member.id, "name": o.member.name, "email": o.member.email},
        "memberships": [
            {
                "id": m.id,
                "level": level.name,
                "status": m.status,
                "period_start": m.period_start,
                "period_end": m.period_end,
                "auto_renew": m.auto_renew,
                "organization_name": m.organization_name,
            }
            for m, level in o.memberships
        ],
        "payments": o.payments,
        "seats": seats,
    }


async def erase(deps: Deps, ctx: Context, member_id: UUID) -> None:
    now = deps.clock()
    async with deps.uow() as uow:
        email = await uow.members.lock_for_erasure(member_id)
        if email is None:
            raise NotFound("member")
        await uow.members.pseudonymize(member_id, ERASED_NAME, erased_email(member_id), now)
        await uow.memberships.forget_organization(member_id)
        await uow.seats.remove_all_of(email)
        await uow.sessions.end_all_of(member_id)
        await uow.members.forget_published_events(member_id)
        await uow.commit(
            [MemberErased(**ctx.envelope(), payload=MemberErasedPayload(member_id=member_id, erased_at=now))]
        )

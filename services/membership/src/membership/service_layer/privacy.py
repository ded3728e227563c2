"""Privacy (M10): a member's data as JSON, and erasure.

Erasure pseudonymizes the member (name and address replaced, the id kept), removes their seats,
sign-in links, sessions and the published outbox rows that carried their address, and keeps
payment records, which refer to the member only by id. `membership.member_erased` tells the
other services to erase theirs.
"""

from typing import Any
from uuid import UUID

from convene_contracts.membership import MemberErased, MemberErasedPayload
from membership.service_layer.deps import Deps
from membership.service_layer.errors import NotFound
from membership.service_layer.events import Context
from membership.service_layer.self_service import overview
from membership.service_layer.unit_of_work import UnitOfWork

ERASED_NAME = "Erased member"


def erased_email(member_id: UUID) -> str:
    return f"erased-{member_id}@erased.invalid"  # .invalid can never receive mail (RFC 2606)


async def export(deps: Deps, member_id: UUID) -> dict[str, Any]:
    o = await overview(deps, member_id)
    async with UnitOfWork(deps.pool) as uow:
        seats = await uow.repo.conn.fetch(
            """SELECT s.membership_id, s.email, s.name, s.assigned_at, s.removed_at FROM seats s
               JOIN memberships m ON m.id = s.membership_id WHERE m.member_id = $1 OR s.email = $2""",
            member_id,
            o.member.email,
        )
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
        "seats": [dict(row) for row in seats],
    }


async def erase(deps: Deps, ctx: Context, member_id: UUID) -> None:
    now = deps.clock()
    async with UnitOfWork(deps.pool) as uow:
        conn = uow.repo.conn
        email = await conn.fetchval(
            "SELECT email FROM members WHERE id = $1 AND erased_at IS NULL FOR UPDATE", member_id
        )
        if email is None:
            raise NotFound("member")
        await conn.execute(
            "UPDATE members SET name = $2, email = $3, erased_at = $4 WHERE id = $1",
            member_id,
            ERASED_NAME,
            erased_email(member_id),
            now,
        )
        await conn.execute("UPDATE memberships SET organization_name = NULL WHERE member_id = $1", member_id)
        await conn.execute("DELETE FROM seats WHERE email = $1", email)
        await conn.execute("DELETE FROM sign_in_links WHERE member_id = $1", member_id)
        await conn.execute("DELETE FROM member_sessions WHERE member_id = $1", member_id)
        await conn.execute("DELETE FROM outbox WHERE message_key = $1 AND published_at IS NOT NULL", str(member_id))
        await uow.commit(
            [MemberErased(**ctx.envelope(), payload=MemberErasedPayload(member_id=member_id, erased_at=now))]
        )

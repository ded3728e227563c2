"""A person's data from every service in one download (M10).

Membership owns the member's page, so it asks (`membership.export_requested`, with the digest
of the address) and gathers: conference and notifications each answer with their part on
`convene.exports.v1`, a topic that keeps messages a day. The download is ready once every part
arrived; the parts are kept EXPORT_RETENTION_DAYS (1) and then pruned (docs/privacy.md).
"""

from typing import Any
from uuid import UUID, uuid4

from convene_contracts.exports import ExportRequested, ExportRequestedPayload
from convene_contracts.privacy import email_digest
from membership.domain.errors import NotFound
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context
from membership.service_layer.privacy import export

OTHER_SERVICES = ("conference", "notifications")


async def request_export(deps: Deps, ctx: Context, member_id: UUID) -> UUID:
    now, request_id = deps.clock(), uuid4()
    async with deps.uow() as uow:
        email = await uow.members.email_of(member_id)
        if email is None:
            raise NotFound("member")
        await uow.exports.add(request_id, member_id, now)
        asked = ExportRequestedPayload(
            request_id=request_id, member_id=member_id, email_sha256=email_digest(email), requested_at=now
        )
        await uow.commit([ExportRequested(**ctx.envelope(), payload=asked)])
    return request_id


async def gathered(deps: Deps, member_id: UUID, request_id: UUID) -> tuple[dict[str, Any] | None, list[str]]:
    """The whole download once every service answered, else None and the services still awaited."""
    async with deps.uow() as uow:
        parts = await uow.exports.parts(request_id, member_id)
    if parts is None:
        raise NotFound("export")
    waiting = [s for s in OTHER_SERVICES if s not in parts]
    if waiting:
        return None, waiting
    return {"membership": await export(deps, member_id)} | {s: parts[s] for s in OTHER_SERVICES}, []

"""An owner exports or erases a member's data on their behalf (the operator command line's
`person export|erase`): the same use cases as the member's own page, so the same events reach
every service (docs/privacy.md)."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from convene_service.http import Operator
from convene_service.responses import OPERATORS, WITH_BODY, declared
from membership.entrypoints.http.common import Ctx, DepsOf
from membership.entrypoints.http.exports import export_answer
from membership.entrypoints.http.schemas import EraseIn
from membership.service_layer import exports, privacy

router = APIRouter(
    prefix="/members/{member_id}", tags=["operators"], dependencies=[Operator], responses=OPERATORS | declared(404)
)


@router.post(
    "/exports", status_code=status.HTTP_202_ACCEPTED, summary="Ask every service for what it holds about a member"
)
async def request_export(member_id: UUID, deps: DepsOf, ctx: Ctx) -> dict[str, Any]:
    request_id = await exports.request_export(deps, ctx, member_id)
    return {"request_id": request_id, "url": f"/members/{member_id}/exports/{request_id}"}


@router.get(
    "/exports/{request_id}",
    summary="A member's data from every service, as JSON (202 while a service has not answered yet)",
    responses={202: {"description": "Still gathering: `waiting_for` names the services not answered yet"}},
)
async def gathered_export(member_id: UUID, request_id: UUID, deps: DepsOf) -> JSONResponse:
    return await export_answer(deps, member_id, request_id)


@router.post(
    "/erase",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WITH_BODY | declared(502),
    summary="Erase a member's personal data in every service (irreversible)",
)
async def erase(member_id: UUID, body: EraseIn, deps: DepsOf, ctx: Ctx) -> None:
    await privacy.erase(deps, ctx, member_id)

"""A member's export from every service (M10): asked for, then fetched once gathered."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from convene_service.responses import declared
from membership.entrypoints.http.common import Ctx, DepsOf, MemberId
from membership.service_layer import exports
from membership.service_layer.deps import Deps

router = APIRouter(prefix="/me/exports", tags=["members"], responses=declared(401, 404))


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Ask every service for what it holds about me; fetch the result from its URL",
)
async def request_export(member_id: MemberId, deps: DepsOf, ctx: Ctx) -> dict[str, Any]:
    request_id = await exports.request_export(deps, ctx, member_id)
    return {"request_id": request_id, "url": f"/me/exports/{request_id}"}


@router.get(
    "/{request_id}",
    summary="My data from every service, as JSON (202 while a service has not answered yet)",
    responses={202: {"description": "Still gathering: `waiting_for` names the services not answered yet"}},
)
async def gathered_export(request_id: UUID, member_id: MemberId, deps: DepsOf) -> JSONResponse:
    return await export_answer(deps, member_id, request_id)


async def export_answer(deps: Deps, member_id: UUID, request_id: UUID) -> JSONResponse:
    """The gathered export as the file the member page offers, or 202 naming who has not answered
    (the member's own route and the operator's route answer alike)."""
    data, waiting = await exports.gathered(deps, member_id, request_id)
    if data is None:
        return JSONResponse({"waiting_for": waiting}, status_code=status.HTTP_202_ACCEPTED)
    return JSONResponse(
        jsonable_encoder(data), headers={"Content-Disposition": 'attachment; filename="my-convene-data.json"'}
    )

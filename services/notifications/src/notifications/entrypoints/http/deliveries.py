"""The delivery log and resend for operators (N3)."""

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, status

from convene_service.http import Operator
from convene_service.inputs import Line, QueryInstant
from convene_service.responses import OPERATORS, declared
from notifications.domain.deliveries import LogFilters
from notifications.entrypoints.http.common import DepsOf
from notifications.service_layer import delivery_log

router = APIRouter(responses=OPERATORS)
Status = Annotated[str | None, Query(alias="status", pattern="^(pending|sent|failed)$")]


@router.get("/deliveries", dependencies=[Operator], tags=["operators"], summary="Who got which email, when, status")
async def deliveries(
    deps: DepsOf,
    recipient: Annotated[Line | None, Query()] = None,
    event_type: Annotated[Line | None, Query()] = None,
    delivery_status: Status = None,
    since: Annotated[QueryInstant | None, Query()] = None,
    correlation_id: Annotated[UUID | None, Query(description="One flow's emails (X-Correlation-ID)")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    filters = LogFilters(
        recipient=recipient,
        event_type=event_type,
        status=delivery_status,
        since=since,
        limit=limit,
        correlation_id=correlation_id,
    )
    return await delivery_log.find(deps, filters)


@router.post(
    "/deliveries/{delivery_id}/resend",
    dependencies=[Operator],
    tags=["operators"],
    status_code=status.HTTP_202_ACCEPTED,
    responses=declared(404),
    summary="Send this email again (e.g. after a failure)",
)
async def resend(delivery_id: UUID, deps: DepsOf) -> dict[str, str]:
    await delivery_log.resend(deps, delivery_id)  # NoSuchDelivery: 404
    return {"detail": "queued"}

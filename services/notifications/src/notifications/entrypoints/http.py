"""Notifications' HTTP API: the delivery log and resend for operators (N3), unsubscribe (N4)."""

import hmac
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, Request, status

from convene_service.http import Operator, runtime_of
from notifications.service_layer import delivery_log, preferences
from notifications.service_layer.intake import Intake

router = APIRouter()


def _intake(request: Request) -> Intake:
    intake = runtime_of(request).deps_as(Intake)
    return intake


@router.get("/deliveries", dependencies=[Operator], tags=["operators"], summary="Who got which email, when, status")
async def deliveries(request: Request, recipient: str | None = None, event_type: str | None = None,
                     delivery_status: Annotated[str | None, Query(alias="status", pattern="^(pending|sent|failed)$")]
                     = None,
                     since: datetime | None = None,
                     limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict[str, Any]]:  # fmt: skip
    filters = delivery_log.Filters(recipient=recipient, event_type=event_type, status=delivery_status, since=since,
                                   limit=limit)  # fmt: skip
    return await delivery_log.find(_intake(request).pool, filters)


@router.post("/deliveries/{delivery_id}/resend", dependencies=[Operator], tags=["operators"],
             status_code=status.HTTP_202_ACCEPTED, summary="Send this email again (e.g. after a failure)")  # fmt: skip
async def resend(delivery_id: UUID, request: Request) -> dict[str, str]:
    if await delivery_log.resend(_intake(request).pool, delivery_id) is None:
        raise HTTPException(404, "no such delivery")
    return {"detail": "queued"}


def _checked(request: Request, email: str, sig: str) -> Intake:
    intake = _intake(request)
    if not hmac.compare_digest(intake.unsubscribe_signature(email), sig):
        raise HTTPException(400, "this unsubscribe link is not valid (it may have been altered)")
    return intake


@router.get("/unsubscribe", tags=["people"], summary="Whether this address gets reminders (the link's landing)")
async def unsubscribe_status(request: Request, email: str, sig: str) -> dict[str, Any]:
    intake = _checked(request, email, sig)
    return {"email": email.lower(), "unsubscribed": await preferences.is_unsubscribed(intake.pool, email)}


# RFC 8058's one-click path: mail clients post `List-Unsubscribe=One-Click` here with no cookie
# and no CSRF token, so the signed address in the query is the whole check. The page people open
# from the email's footer (/mail/unsubscribe) is a separate, CSRF-protected form.
@router.post("/unsubscribe", tags=["people"], summary="Stop reminders (also the one-click List-Unsubscribe-Post)")
async def unsubscribe(request: Request, email: str, sig: str) -> dict[str, Any]:
    intake = _checked(request, email, sig)
    if not await preferences.unsubscribe(intake.pool, email):
        raise HTTPException(409, "this address is unsubscribed already")
    return {
        "email": email.lower(),
        "unsubscribed": True,
        "detail": "no more reminders; receipts and tickets still come",
    }

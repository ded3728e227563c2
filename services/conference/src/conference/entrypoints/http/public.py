"""Public endpoints: the conference page, registering (rate-limited), Stripe's webhook."""

import logging
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import JSONResponse

from conference.entrypoints.http.common import DepsOf
from conference.entrypoints.http.schemas import RegistrationIn, RegistrationOut
from conference.service_layer import catalog, holding
from conference.service_layer.payments import apply_stripe_event
from convene_delivery.correlation import correlation_or_new
from convene_service.http import RateLimit
from convene_service.payments import verified_event
from convene_service.responses import WITH_BODY, declared
from convene_web.sessions import current_session

log = logging.getLogger(__name__)
router = APIRouter(tags=["attendees"])


@router.get(
    "/conferences/{conference_id}",
    responses=declared(404),
    summary="A conference, its ticket types, prices and availability",
)
async def conference_page(conference_id: UUID, deps: DepsOf) -> dict[str, Any]:
    return await catalog.conference_page(deps, conference_id)


@router.post(
    "/conferences/{conference_id}/registrations",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(RateLimit("hold"))],
    # 404: no such conference; 409: sold out (with the waitlist to join); 429: too many requests, or
    # too many unpaid seats held from this address or for this payer (fair holds); 502: Stripe is down
    responses=WITH_BODY | declared(404, 409, 429, 502),
    summary="Hold seats and get the Stripe Checkout link",
)
async def register(conference_id: UUID, body: RegistrationIn, request: Request, deps: DepsOf) -> RegistrationOut:
    attendees = [holding.AttendeeIn(a.name, a.email.lower(), a.ticket_type_ids, a.answers) for a in body.attendees]
    held = await holding.register(
        deps,
        correlation_or_new(),
        conference_id,
        body.payer_name,
        body.payer_email.lower(),
        attendees,
        body.discount_code,
        client_address=request.client.host if request.client else None,
        member_email=signed_in_member(request),
    )
    return RegistrationOut(
        registration_id=held.registration_id,
        status=held.status,
        amount_minor=held.amount_minor,
        currency=held.currency,
        hold_expires_at=held.hold_expires_at,
        checkout_url=held.checkout_url,
    )


def signed_in_member(request: Request) -> str | None:
    """The address a member signed in with (membership's sign-in link proved it), if any."""
    session = current_session(request)
    return session.email if session and session.is_member and session.email else None


@router.post(
    "/stripe/webhook",
    tags=["stripe"],
    summary="Stripe events for registrations (signed)",
    responses=declared(400),
    response_model=None,
)
async def stripe_webhook(request: Request, deps: DepsOf) -> dict[str, Any] | JSONResponse:
    event = await verified_event(request, deps.settings)
    try:
        outcome = await apply_stripe_event(deps, event)
    except Exception:  # any failure: rolled back with its "seen" row, so Stripe's retry is applied
        log.exception("Stripe event %s not applied; Stripe will deliver it again", event.get("id"))
        return JSONResponse(
            {"detail": "the event was not applied and nothing was saved; deliver it again"},
            status_code=503,
            headers={"Retry-After": "5"},
        )
    return {"received": True, "outcome": outcome}

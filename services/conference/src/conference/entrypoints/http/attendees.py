"""What attendees do through the signed link in their email, and the waitlist."""

import hmac
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from conference.entrypoints.http.common import DepsOf
from conference.entrypoints.http.schemas import EraseIn, RegistrationOut, WaitlistIn
from conference.service_layer import attendee, attendee_views, certificates, holding, member_proof, privacy, waitlist
from conference.service_layer.attendee_links import link_is_valid, ticket_is_valid
from convene_service.http import RateLimit
from convene_service.responses import WITH_BODY, declared
from convene_web.qr import qr_png

# The signed link's token proves the caller: a wrong one is a 404, never saying what exists.
router = APIRouter(tags=["attendees"], responses=declared(404))
Token = Annotated[str, Query(min_length=1, max_length=100, description="From the link in the email")]


def _require_link(deps: Any, registration_id: UUID, token: str) -> None:
    if not link_is_valid(deps, registration_id, token):
        raise HTTPException(404, "no such registration")  # never say whether it exists


@router.get("/registrations/{registration_id}", summary="My registration, tickets and what cancelling refunds")
async def my_registration(registration_id: UUID, token: Token, deps: DepsOf) -> dict[str, Any]:
    _require_link(deps, registration_id, token)
    return await attendee.view(deps, registration_id)


@router.get("/tickets/{attendee_id}", summary="My own ticket (an attendee's link): nothing of the group")
async def my_ticket(attendee_id: UUID, token: Token, deps: DepsOf) -> dict[str, Any]:
    found = await attendee_views.own_ticket(deps, attendee_id) if ticket_is_valid(deps, attendee_id, token) else None
    if found is None:
        raise HTTPException(404, "no such ticket")  # never say whether it exists
    return {
        "attendee_id": str(found.attendee_id),
        "name": found.name,
        "conference_id": str(found.conference_id),
        "conference_name": found.conference_name,
        "starts_on": found.starts_on.isoformat(),
        "ends_on": found.ends_on.isoformat(),
        "venue": found.venue or None,
        "status": found.status.value,
        "ticket_code": found.ticket_code,
        "ticket_types": found.ticket_types,
    }


@router.post(
    "/attendees/{attendee_id}/member-price",
    responses=declared(409, 422, 502),
    summary="Confirm the member price (the link sent to the member's address)",
)
async def confirm_member_price(attendee_id: UUID, token: Token, deps: DepsOf) -> dict[str, int]:
    return {"amount_minor": await member_proof.confirm(deps, attendee_id, token)}


@router.post(
    "/registrations/{registration_id}/cancel", responses=declared(409, 502), summary="Cancel under the refund policy"
)
async def cancel(registration_id: UUID, token: Token, deps: DepsOf) -> dict[str, int]:
    _require_link(deps, registration_id, token)
    return {"refund_minor": await attendee.cancel(deps, registration_id)}


@router.post(
    "/registrations/{registration_id}/erase",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WITH_BODY,
    summary="Erase my personal data from every service (irreversible)",
)
async def erase(registration_id: UUID, token: Token, body: EraseIn, deps: DepsOf) -> None:
    _require_link(deps, registration_id, token)
    await privacy.erase_registrant(deps, registration_id)


@router.get(
    "/registrations/{registration_id}/tickets/{ticket_code}.png", response_class=Response, summary="A ticket's QR code"
)
async def ticket_qr(registration_id: UUID, ticket_code: str, token: Token, deps: DepsOf) -> Response:
    _require_link(deps, registration_id, token)
    codes = {a["ticket_code"] for a in (await attendee.view(deps, registration_id))["attendees"]}
    if ticket_code not in codes:
        raise HTTPException(404, "no such ticket")
    return Response(qr_png(ticket_code), media_type="image/png")


@router.post(
    "/conferences/{conference_id}/waitlist",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(RateLimit("waitlist"))],
    responses=WITH_BODY | declared(409, 429),
    summary="Join a sold-out ticket type's waitlist",
)
async def join_waitlist(conference_id: UUID, body: WaitlistIn, deps: DepsOf) -> dict[str, UUID]:
    entry = await waitlist.join(deps, conference_id, body.ticket_type_id, body.name, body.email.lower())
    return {"entry_id": entry}


@router.post(
    "/waitlist/{entry_id}/claim",
    status_code=status.HTTP_201_CREATED,
    responses=declared(409, 502),
    summary="Take the seat a waitlist offer keeps for you",
)
async def claim(entry_id: UUID, token: Token, deps: DepsOf) -> RegistrationOut:
    held = await holding.claim_offer(deps, entry_id, token)
    return RegistrationOut(
        registration_id=held.registration_id,
        status=held.status,
        amount_minor=held.amount_minor,
        currency=held.currency,
        hold_expires_at=held.hold_expires_at,
        checkout_url=held.checkout_url,
    )


@router.get("/certificates/{attendee_id}.pdf", response_class=Response, summary="My certificate of attendance")
async def certificate(attendee_id: UUID, token: Token, deps: DepsOf) -> Response:
    if not hmac.compare_digest(certificates.certificate_token(deps, attendee_id).encode(), token.encode()):
        raise HTTPException(404, "no such certificate")
    return Response(await certificates.pdf(deps, attendee_id), media_type="application/pdf")

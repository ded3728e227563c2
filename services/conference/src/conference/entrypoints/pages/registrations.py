"""An attendee's own registration, opened by the signed link in their email (or from Stripe):
its status and tickets with QR codes, the payment page while it is held, and cancelling under
the conference's refund policy, which first shows the refund and asks to confirm (C5, C8, C10)."""

import base64
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from conference.domain.errors import NotPayable, RegistrationRefused
from conference.domain.model import RegistrationStatus
from conference.entrypoints.http.common import DepsOf
from conference.entrypoints.pages.common import registration_or_404
from conference.service_layer import attendee, payments
from conference.service_layer.attendee_links import registration_path
from convene_service.payments import PaymentProviderUnavailable
from convene_web.csrf import CsrfProtected
from convene_web.forms import posted
from convene_web.pages import PagesOf
from convene_web.qr import qr_png

router = APIRouter(prefix="/events/registrations", include_in_schema=False)
Token = Annotated[str | None, Query(max_length=100)]
SETTLED = "confirmed expired cancelled"  # what the held page polls for


def _qr(code: str) -> str:
    """The ticket's QR as a data: address, so the image needs no second signed request."""
    return "data:image/png;base64," + base64.b64encode(qr_png(code)).decode()


@router.get("/{registration_id:uuid}")
async def registration_page(
    registration_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, token: Token = None
) -> Response:
    found = await registration_or_404(deps, registration_id, token)
    qr = {a.ticket_code: _qr(a.ticket_code) for a in found.attendees if a.ticket_code}
    return pages.render(
        request,
        "registration.html",
        registration=found,
        qr=qr,
        token=token,
        settled=SETTLED,
        hold_over=found.hold_expires_at <= deps.clock(),
        section="conferences",
    )


@router.get("/{registration_id:uuid}/status")
async def registration_status(registration_id: UUID, deps: DepsOf, token: Token = None) -> JSONResponse:
    """What the registration page polls while Stripe's webhook is on its way."""
    found = await registration_or_404(deps, registration_id, token)
    return JSONResponse({"status": found.status.value}, headers={"Cache-Control": "no-store"})


@router.get("/{registration_id:uuid}/pay")
async def payment_page(
    registration_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, token: Token = None
) -> Response:
    found = await registration_or_404(deps, registration_id, token)
    if found.status is not RegistrationStatus.HELD:  # paid, ended or cancelled: the registration page says which
        return pages.redirect(registration_path(deps, registration_id))
    now = deps.clock()
    return pages.render(
        request,
        "pay.html",
        registration=found,
        token=token,
        now=now,
        hold_over=found.hold_expires_at <= now,
        section="conferences",
    )


@router.get("/{registration_id:uuid}/checkout")
async def checkout(
    registration_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, token: Token = None
) -> Response:
    """The pay link (the Pay button, the held email, the API's checkout_url): opens Stripe
    Checkout for the hold, made on the first visit and the same one after."""
    found = await registration_or_404(deps, registration_id, token)
    try:
        return pages.redirect(await payments.open_checkout(deps, registration_id))
    except NotPayable:  # paid, cancelled or the hold ended: the payment page says which
        return pages.redirect(registration_path(deps, registration_id, "/pay"))
    except PaymentProviderUnavailable:
        now = deps.clock()
        over = found.hold_expires_at <= now
        return pages.render(
            request,
            "pay.html",
            status=503,
            registration=found,
            token=token,
            now=now,
            hold_over=over,
            stripe_down=True,
            section="conferences",
        )


@router.get("/{registration_id:uuid}/cancel")
async def cancel_page(
    registration_id: UUID, request: Request, pages: PagesOf, deps: DepsOf, token: Token = None
) -> Response:
    found = await registration_or_404(deps, registration_id, token)
    if found.status not in (RegistrationStatus.HELD, RegistrationStatus.CONFIRMED):
        return pages.redirect(registration_path(deps, registration_id))
    return pages.render(request, "cancel.html", registration=found, token=token, section="conferences")


@router.post("/{registration_id:uuid}/cancel", dependencies=[CsrfProtected])
async def cancel(registration_id: UUID, request: Request, pages: PagesOf, deps: DepsOf) -> Response:
    """Cancels (or, for a cancellation whose refund Stripe did not take, asks Stripe again); the
    registration page then shows the refund."""
    await registration_or_404(deps, registration_id, posted(await request.form()).get("token"))
    try:
        await attendee.cancel(deps, registration_id)
    except RegistrationRefused:
        pass  # cancelled meanwhile (another tab): the registration page shows what happened
    except PaymentProviderUnavailable:
        pass  # cancelled, the refund is owed: the page says so and offers to ask again
    return pages.redirect(registration_path(deps, registration_id))

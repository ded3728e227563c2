"""Unsubscribe (N4): whether an address gets reminders, and the one-click stop."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from convene_service.inputs import Text
from convene_service.responses import declared
from notifications.entrypoints.http.common import DepsOf
from notifications.service_layer import preferences

# 400: the signature does not match the address; 409: unsubscribed already.
router = APIRouter(responses=declared(400))
Address = Annotated[Text, Query(max_length=254)]
Signature = Annotated[Text, Query(max_length=200)]


@router.get("/unsubscribe", tags=["people"], summary="Whether this address gets reminders (the link's landing)")
async def unsubscribe_status(deps: DepsOf, email: Address, sig: Signature) -> dict[str, Any]:
    done = await preferences.is_unsubscribed(deps, email, sig)  # NotOurLink: 400
    return {"email": email.lower(), "unsubscribed": done}


# RFC 8058's one-click path: mail clients post `List-Unsubscribe=One-Click` here with no cookie
# and no CSRF token, so the signed address in the query is the whole check. The page people open
# from the email's footer (/mail/unsubscribe) is a separate, CSRF-protected form.
@router.post(
    "/unsubscribe",
    tags=["people"],
    responses=declared(409),
    summary="Stop reminders (also the one-click List-Unsubscribe-Post)",
)
async def unsubscribe(deps: DepsOf, email: Address, sig: Signature) -> dict[str, Any]:
    await preferences.unsubscribe(deps, email, sig)  # NotOurLink: 400, AlreadyUnsubscribed: 409
    return {
        "email": email.lower(),
        "unsubscribed": True,
        "detail": "no more reminders; receipts and tickets still come",
    }

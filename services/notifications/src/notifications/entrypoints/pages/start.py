"""`/mail`, the bare prefix of notifications' pages (the proxy's http://localhost:8080/mail)."""

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

router = APIRouter(prefix="/mail", include_in_schema=False)


@router.get("")
async def mail_start() -> Response:
    # Notifications has no public page to start from: its pages are the operators' delivery log.
    return RedirectResponse("/mail/operator", status_code=303, headers={"Cache-Control": "no-store"})

"""The delivery log as a page (N3): who got which email, when and how it went, found by
recipient, event, status and day; and a Resend button per email (a CSRF-protected POST).

Times are UTC: notifications serves every service and has no time zone of its own to choose.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Literal
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from convene_web.access import OperatorPage, PageNotFound
from convene_web.csrf import CsrfProtected
from convene_web.forms import posted, validate
from convene_web.pages import PagesOf
from notifications.domain.catalog import KINDS
from notifications.domain.deliveries import LogFilters
from notifications.domain.errors import NoSuchDelivery
from notifications.entrypoints.http.common import DepsOf
from notifications.service_layer import delivery_log

router = APIRouter(prefix="/mail/operator", include_in_schema=False)
SECTION = "operator-mail"  # base.html's "Email log"
SHOWN = 200
FILTERS = ("recipient", "event_type", "status", "since", "until")
Filter = Annotated[str, Query(max_length=320)]


class DeliveryFilters(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    recipient: str | None = Field(default=None, max_length=320)
    event_type: str | None = None
    status: Literal["pending", "sent", "failed"] | None = None
    since: date | None = None
    until: date | None = None

    @field_validator("event_type")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        if value is not None and value not in KINDS:
            raise ValueError("not an event type")
        return value


MESSAGES = {
    "recipient": "Enter an address or part of one (320 characters at most)",
    "event_type": "Choose an event from the list",
    "status": "Choose a status from the list",
    "since": "Enter a date, such as 2026-11-27",
    "until": "Enter a date, such as 2026-11-27",
}


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


@router.get("")
async def operator_home(pages: PagesOf, operator: OperatorPage) -> Response:
    """Notifications' only operator page so far: the log (the nav's "Email log" leads here)."""
    return pages.redirect("/mail/operator/deliveries")


@router.get("/deliveries")
async def delivery_log_page(
    request: Request,
    deps: DepsOf,
    pages: PagesOf,
    operator: OperatorPage,
    recipient: Filter = "",
    event_type: Filter = "",
    status: Filter = "",
    since: Filter = "",
    until: Filter = "",
    resent: Filter = "",
) -> Response:
    values = {"recipient": recipient, "event_type": event_type, "status": status, "since": since, "until": until}
    chosen, form = validate(DeliveryFilters, values, MESSAGES)
    if chosen is not None and chosen.since and chosen.until and chosen.until < chosen.since:
        form.errors["until"] = "The last day cannot be before the first day"
    if chosen is None or form.errors:
        return pages.render(
            request,
            "operator/deliveries.html",
            status=400,
            form=form,
            deliveries=[],
            event_types=sorted(KINDS),
            shown=SHOWN,
            query="",
            resent=None,
            section=SECTION,
        )
    found = await delivery_log.find(
        deps,
        LogFilters(
            recipient_part=chosen.recipient,
            event_type=chosen.event_type,
            status=chosen.status,
            since=_midnight(chosen.since) if chosen.since else None,
            before=_midnight(chosen.until + timedelta(days=1)) if chosen.until else None,
            limit=SHOWN,
        ),
    )
    query = urlencode({k: v for k, v in values.items() if v})
    return pages.render(
        request,
        "operator/deliveries.html",
        form=form,
        deliveries=found,
        event_types=sorted(KINDS),
        shown=SHOWN,
        query=query,
        resent=resent or None,
        section=SECTION,
    )


@router.post("/deliveries/{delivery_id:uuid}/resend", dependencies=[CsrfProtected])
async def resend(delivery_id: UUID, request: Request, deps: DepsOf, pages: PagesOf, operator: OperatorPage) -> Response:
    try:
        recipient = await delivery_log.resend(deps, delivery_id)
    except NoSuchDelivery:
        raise PageNotFound("email (it may belong to a person who was erased)") from None
    # Back to the same filtered log, saying what was queued. Only the known filters go back into
    # the address: the posted `back` is never used as a location itself.
    back = posted(await request.form())
    kept = {k: back[k] for k in FILTERS if back.get(k)}
    return pages.redirect(f"/mail/operator/deliveries?{urlencode(kept | {'resent': recipient})}")

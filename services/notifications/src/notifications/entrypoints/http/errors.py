"""The use cases' refusals (domain/errors.py) as the JSON API's answers."""

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from notifications.domain.errors import AlreadyUnsubscribed, NoSuchDelivery, NotOurLink


async def no_such_delivery(request: Request, error: NoSuchDelivery) -> JSONResponse:
    return JSONResponse({"detail": "no such delivery"}, status_code=404)


async def not_our_link(request: Request, error: NotOurLink) -> JSONResponse:
    return JSONResponse({"detail": "this unsubscribe link is not valid (it may have been altered)"}, status_code=400)


async def already_unsubscribed(request: Request, error: AlreadyUnsubscribed) -> JSONResponse:
    return JSONResponse({"detail": "this address is unsubscribed already"}, status_code=409)


EXCEPTION_HANDLERS: dict[type[Exception], Any] = {
    NoSuchDelivery: no_such_delivery,
    NotOurLink: not_our_link,
    AlreadyUnsubscribed: already_unsubscribed,
}

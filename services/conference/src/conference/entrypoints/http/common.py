"""Dependencies and how refusals become HTTP answers."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from conference.domain.model import RegistrationRefused, SoldOut
from conference.service_layer.catalog import NotFound
from conference.service_layer.deps import Deps
from convene_service.http import runtime_of
from convene_service.payments import PaymentProviderUnavailable


async def deps_of(request: Request) -> Deps:  # async: FastAPI runs plain functions on a worker thread
    return runtime_of(request).deps_as(Deps)


DepsOf = Annotated[Deps, Depends(deps_of)]


async def refused(request: Request, error: RegistrationRefused) -> JSONResponse:
    loc = ["body", *error.field.split(".")]
    return JSONResponse({"detail": [{"loc": loc, "msg": str(error), "type": "value_error"}]}, status_code=422)


async def sold_out(request: Request, error: SoldOut) -> JSONResponse:
    return JSONResponse({"detail": str(error), "ticket_type_id": str(error.ticket_type_id), "waitlist": True},
                        status_code=409)  # fmt: skip


async def not_found(request: Request, error: NotFound) -> JSONResponse:
    return JSONResponse({"detail": f"no such {error}"}, status_code=404)


async def payment_provider_down(request: Request, error: PaymentProviderUnavailable) -> JSONResponse:
    return JSONResponse({"detail": f"the payment provider did not answer; the seats were released ({error})"},
                        status_code=502)  # fmt: skip


EXCEPTION_HANDLERS = {
    RegistrationRefused: refused,
    SoldOut: sold_out,
    NotFound: not_found,
    PaymentProviderUnavailable: payment_provider_down,
}

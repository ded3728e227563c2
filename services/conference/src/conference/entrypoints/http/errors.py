"""How the refusals of domain/errors.py become HTTP answers (the pages reuse this mapping)."""

from fastapi import Request
from fastapi.responses import JSONResponse

from conference.domain.errors import NotFound, PriceFinal, RegistrationRefused, SoldOut, TooManyUnpaidSeats
from conference.entrypoints.metrics import answered_sold_out
from convene_service.payments import PaymentProviderUnavailable


async def refused(request: Request, error: RegistrationRefused) -> JSONResponse:
    loc = ["body", *error.field.split(".")]
    return JSONResponse({"detail": [{"loc": loc, "msg": str(error), "type": "value_error"}]}, status_code=422)


async def sold_out(request: Request, error: SoldOut) -> JSONResponse:
    answered_sold_out()
    return JSONResponse(
        {"detail": str(error), "ticket_type_id": str(error.ticket_type_id), "waitlist": True}, status_code=409
    )


async def too_many_unpaid(request: Request, error: TooManyUnpaidSeats) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=429)


async def price_final(request: Request, error: PriceFinal) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=409)


async def not_found(request: Request, error: NotFound) -> JSONResponse:
    return JSONResponse({"detail": f"no such {error}"}, status_code=404)


async def payment_provider_down(request: Request, error: PaymentProviderUnavailable) -> JSONResponse:
    return JSONResponse(
        {"detail": f"the payment provider did not answer; the seats were released ({error})"}, status_code=502
    )


EXCEPTION_HANDLERS = {
    RegistrationRefused: refused,
    SoldOut: sold_out,
    TooManyUnpaidSeats: too_many_unpaid,
    PriceFinal: price_final,
    NotFound: not_found,
    PaymentProviderUnavailable: payment_provider_down,
}

"""How refusals from the use cases become HTTP answers: the status and the detail of each."""

from fastapi import Request
from fastapi.responses import JSONResponse

from convene_service.payments import PaymentProviderUnavailable
from membership.domain.errors import BadFile, Conflict, Invalid, NotFound, NotYours


def _detail(field: str | None, message: str) -> object:
    return [{"loc": ["body", field], "msg": message, "type": "value_error"}] if field else message


async def not_found(request: Request, error: NotFound) -> JSONResponse:
    return JSONResponse({"detail": f"no such {error}"}, status_code=404)


async def conflict(request: Request, error: Conflict) -> JSONResponse:
    return JSONResponse({"detail": _detail(error.field, str(error))}, status_code=409)


async def invalid(request: Request, error: Invalid) -> JSONResponse:
    return JSONResponse({"detail": _detail(error.field, str(error))}, status_code=422)


async def not_yours(request: Request, error: NotYours) -> JSONResponse:
    return JSONResponse({"detail": "only an owner may manage another staff member's credentials"}, status_code=403)


async def payment_provider_down(request: Request, error: PaymentProviderUnavailable) -> JSONResponse:
    return JSONResponse(
        {"detail": f"the payment provider did not answer; nothing was charged. Try again shortly. ({error})"},
        status_code=502,
    )


async def bad_file(request: Request, error: BadFile) -> JSONResponse:
    """An import's file refused whole: the part at fault (the file, or a column) and why."""
    return JSONResponse({"detail": _detail(error.field, str(error))}, status_code=error.status)


EXCEPTION_HANDLERS = {
    BadFile: bad_file,
    NotFound: not_found,
    Conflict: conflict,
    Invalid: invalid,
    NotYours: not_yours,
    PaymentProviderUnavailable: payment_provider_down,
}

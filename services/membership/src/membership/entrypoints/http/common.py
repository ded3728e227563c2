"""Who is calling, and how refusals from the service layer become HTTP answers."""

from typing import Annotated
from uuid import UUID, uuid4

from fastapi import Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from convene_service.http import Credentials, runtime_of
from convene_service.payments import PaymentProviderUnavailable
from membership.service_layer.deps import Deps
from membership.service_layer.errors import Conflict, Invalid, NotFound
from membership.service_layer.events import Context
from membership.service_layer.sign_in import member_of_session


async def deps_of(request: Request) -> Deps:  # async: FastAPI runs plain functions on a worker thread
    return runtime_of(request).deps_as(Deps)


async def request_context(request: Request) -> Context:
    """Every event a request causes shares one correlation id (taken from X-Correlation-ID)."""
    try:
        return Context(UUID(request.headers.get("x-correlation-id", "")))
    except ValueError:
        return Context(uuid4())


async def signed_in_member(request: Request, credentials: Credentials) -> UUID:
    if credentials is not None:
        member_id = await member_of_session(await deps_of(request), credentials.credentials)
        if member_id is not None:
            return member_id
    raise HTTPException(401, "sign in with the link we email you", headers={"WWW-Authenticate": "Bearer"})


DepsOf = Annotated[Deps, Depends(deps_of)]
Ctx = Annotated[Context, Depends(request_context)]
MemberId = Annotated[UUID, Depends(signed_in_member)]


def _detail(field: str | None, message: str) -> object:
    return [{"loc": ["body", field], "msg": message, "type": "value_error"}] if field else message


async def not_found(request: Request, error: NotFound) -> JSONResponse:
    return JSONResponse({"detail": f"no such {error}"}, status_code=404)


async def conflict(request: Request, error: Conflict) -> JSONResponse:
    return JSONResponse({"detail": _detail(error.field, str(error))}, status_code=409)


async def invalid(request: Request, error: Invalid) -> JSONResponse:
    return JSONResponse({"detail": _detail(error.field, str(error))}, status_code=422)


async def payment_provider_down(request: Request, error: PaymentProviderUnavailable) -> JSONResponse:
    return JSONResponse(
        {"detail": f"the payment provider did not answer; nothing was charged. Try again shortly. ({error})"},
        status_code=502,
    )


EXCEPTION_HANDLERS = {
    NotFound: not_found,
    Conflict: conflict,
    Invalid: invalid,
    PaymentProviderUnavailable: payment_provider_down,
}

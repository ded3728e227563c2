"""HTTP helpers every service uses: operator authentication, field-level errors, the runtime."""

import hmac
from typing import Annotated

import asyncpg
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from convene_delivery.runtime import Runtime

_bearer = HTTPBearer(auto_error=False)


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def pool_of(request: Request) -> asyncpg.Pool:
    return runtime_of(request).pool


def require_operator(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """Operator endpoints need the operator bearer token; anything else is 401."""
    expected = runtime_of(request).settings.operator_token
    if credentials is None or not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise HTTPException(401, "operator token missing or wrong", headers={"WWW-Authenticate": "Bearer"})


def field_error(status: int, field: str, message: str) -> HTTPException:
    """An error shaped like FastAPI's validation errors, naming the field at fault."""
    return HTTPException(status, [{"loc": ["body", field], "msg": message, "type": "value_error"}])


Pool = Annotated[asyncpg.Pool, Depends(pool_of)]
Operator = Depends(require_operator)

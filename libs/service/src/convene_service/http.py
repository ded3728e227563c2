"""HTTP helpers every service uses: who is calling, field-level errors, rate limits."""

import hashlib
import hmac
from typing import Annotated

import asyncpg
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from convene_service.runtime import Runtime

_bearer = HTTPBearer(auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def pool_of(request: Request) -> asyncpg.Pool:  # async: FastAPI runs plain functions on a worker thread
    return runtime_of(request).pool


def sha256(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


async def require_operator(request: Request, credentials: Credentials) -> None:
    """Operator endpoints need the operator token (compared by hash): none or unknown -> 401;
    a member's session -> 403."""
    if credentials is None:
        raise HTTPException(401, "sign in as an operator", headers={"WWW-Authenticate": "Bearer"})
    runtime = runtime_of(request)
    expected = bytes.fromhex(runtime.settings.operator_token_sha256)
    if hmac.compare_digest(sha256(credentials.credentials), expected):
        return
    is_known = runtime.known_caller
    if is_known is not None and await is_known(request, credentials.credentials):
        raise HTTPException(403, "operators only")
    raise HTTPException(401, "operator token missing or wrong", headers={"WWW-Authenticate": "Bearer"})


def field_error(status: int, field: str, message: str) -> HTTPException:
    """An error shaped like FastAPI's validation errors, naming the field at fault."""
    return HTTPException(status, [{"loc": ["body", field], "msg": message, "type": "value_error"}])


class RateLimit:
    """At most `rate_limit_per_minute` calls per client address per minute on one endpoint,
    counted in the service's database (convene_service.rate_limits), so the limit holds across
    all its instances and HTTP workers. The client address is the peer's, or the one a proxy
    listed in FORWARDED_ALLOW_IPS forwarded (uvicorn's proxy headers): nobody else can choose it."""

    def __init__(self, name: str) -> None:
        self._name = name

    async def __call__(self, request: Request) -> None:
        runtime = runtime_of(request)
        client = request.client.host if request.client else "unknown"
        retry_after = await runtime.rate_limits.take(self._name, client, runtime.settings.rate_limit_per_minute)
        if retry_after is not None:
            raise HTTPException(
                429,
                f"too many {self._name} requests; try again in {retry_after}s",
                headers={"Retry-After": str(retry_after)},
            )


Pool = Annotated[asyncpg.Pool, Depends(pool_of)]
Operator = Depends(require_operator)

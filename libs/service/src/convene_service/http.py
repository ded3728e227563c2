"""HTTP helpers every service uses: who is calling, field-level errors, rate limits."""

import hashlib
import hmac
from typing import Annotated

import asyncpg
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from convene_service.spec import Runtime
from convene_service.staff import StaffCaller, allowed_roles, note_staff_change

_bearer = HTTPBearer(auto_error=False)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def pool_of(request: Request) -> asyncpg.Pool:  # async: FastAPI runs plain functions on a worker thread
    return runtime_of(request).pool


def sha256(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


async def require_operator(request: Request, credentials: Credentials) -> StaffCaller:
    """Operator endpoints need a staff member's API token whose role the route allows (the
    service's map, `Runtime.staff_roles`): none or unknown -> 401; a member's session, or a role
    the route does not allow -> 403. The bootstrap operator token is no staff token: it only
    creates the first owner (membership's `POST /staff/first-owner`)."""
    if credentials is None:
        raise HTTPException(401, "sign in as a staff member", headers={"WWW-Authenticate": "Bearer"})
    runtime = runtime_of(request)
    caller = await runtime.staff.bearer(credentials.credentials) if runtime.staff else None
    if caller is None:
        is_known = runtime.known_caller
        if is_known is not None and await is_known(request, credentials.credentials):
            raise HTTPException(403, "operators only")
        raise HTTPException(401, "API token missing, wrong or revoked", headers={"WWW-Authenticate": "Bearer"})
    route = request.scope.get("route")
    roles = allowed_roles(runtime.staff_roles, request.method, getattr(route, "path", request.url.path))
    if caller.role not in roles:
        raise HTTPException(403, f"the {caller.role.value} role may not do this")
    request.state.staff = caller
    note_staff_change(caller, request.method, route, request.path_params, client_address(request))
    return caller


def client_address(request: Request) -> str:
    """Where a request came from (behind the proxy, the visitor's address: FORWARDED_ALLOW_IPS)."""
    return request.client.host if request.client else ""


def is_bootstrap_token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> bool:
    """The configured operator token (compared by hash): it may only create the first owner."""
    if credentials is None:
        return False
    expected = bytes.fromhex(runtime_of(request).settings.operator_token_sha256)
    return hmac.compare_digest(sha256(credentials.credentials), expected)


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
Staff = Annotated[StaffCaller, Depends(require_operator)]

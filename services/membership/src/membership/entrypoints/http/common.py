"""Who is calling: the dependencies every route shares (deps, the request's context, the member)."""

from typing import Annotated
from uuid import UUID

from fastapi import Depends, HTTPException, Request

from convene_delivery.correlation import correlation_or_new
from convene_service.http import Credentials, runtime_of
from membership.service_layer.deps import Deps
from membership.service_layer.events import Context
from membership.service_layer.sign_in import member_of_session


async def deps_of(request: Request) -> Deps:  # async: FastAPI runs plain functions on a worker thread
    return runtime_of(request).deps_as(Deps)


async def request_context(request: Request) -> Context:
    """Every event a request causes shares the request's correlation id (convene_service.request_log
    takes it from X-Correlation-ID or makes it)."""
    return Context(correlation_or_new())


async def signed_in_member(request: Request, credentials: Credentials) -> UUID:
    if credentials is not None:
        member_id = await member_of_session(await deps_of(request), credentials.credentials)
        if member_id is not None:
            return member_id
    raise HTTPException(401, "sign in with the link we email you", headers={"WWW-Authenticate": "Bearer"})


DepsOf = Annotated[Deps, Depends(deps_of)]
Ctx = Annotated[Context, Depends(request_context)]
MemberId = Annotated[UUID, Depends(signed_in_member)]

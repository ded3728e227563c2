"""What every route of notifications shares: its dependencies."""

from typing import Annotated

from fastapi import Depends, Request

from convene_service.http import runtime_of
from notifications.service_layer.deps import Deps


async def deps_of(request: Request) -> Deps:  # async: FastAPI runs plain functions on a worker thread
    return runtime_of(request).deps_as(Deps)


DepsOf = Annotated[Deps, Depends(deps_of)]

"""What every route of notifications shares: its dependencies."""

from typing import Annotated

from fastapi import Depends, Request

from convene_delivery.http import runtime_of
from notifications.service_layer.deps import Deps


async def deps_of(request: Request) -> Deps:  # async: FastAPI runs plain functions on a worker thread
    deps: Deps = runtime_of(request).extras["deps"]
    return deps


DepsOf = Annotated[Deps, Depends(deps_of)]

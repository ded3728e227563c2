"""The use cases' dependencies, as FastAPI hands them to an endpoint."""

from typing import Annotated

from fastapi import Depends, Request

from conference.service_layer.deps import Deps
from convene_service.http import runtime_of


async def deps_of(request: Request) -> Deps:  # async: FastAPI runs plain functions on a worker thread
    return runtime_of(request).deps_as(Deps)


DepsOf = Annotated[Deps, Depends(deps_of)]

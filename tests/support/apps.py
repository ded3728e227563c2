"""A service started in-process on the real stack, for integration tests."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from asgi_lifespan import LifespanManager

from convene_service.runtime import Runtime, ServiceSpec, create_app
from convene_service.settings import ServiceSettings


@asynccontextmanager
async def running_app(spec: ServiceSpec, settings: ServiceSettings) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    app = create_app(spec, settings)
    async with (
        LifespanManager(app, startup_timeout=60, shutdown_timeout=60),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{spec.name}", timeout=60) as client,
    ):
        yield client, app.state.runtime

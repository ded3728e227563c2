"""A service started in-process on the real stack, for integration tests."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from asgi_lifespan import LifespanManager

from convene_service.runtime import create_app
from convene_service.settings import ServiceSettings
from convene_service.spec import Runtime, ServiceSpec
from tests.support.staff import seed_staff


@asynccontextmanager
async def running_app(
    spec: ServiceSpec, settings: ServiceSettings, seed_owner: bool = True
) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    """The service, with the tests' owner among its staff unless `seed_owner` is False."""
    app = create_app(spec, settings)
    async with (
        LifespanManager(app, startup_timeout=60, shutdown_timeout=60),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{spec.name}", timeout=60) as client,
    ):
        runtime: Runtime = app.state.runtime
        if seed_owner:
            await seed_staff(runtime.pool)
        yield client, runtime

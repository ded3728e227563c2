"""The health endpoints every service serves: is the process alive, is it ready for traffic."""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from convene_service.spec import Runtime


def health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Postgres and Kafka answer", responses={503: {"description": "Not ready"}})
    async def readyz(request: Request) -> JSONResponse:
        checks = await readiness(request.app.state.runtime)
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)

    return router


async def readiness(runtime: Runtime) -> dict[str, str]:
    """Each dependency's state, "ok" or why not: /readyz answers it, /metrics reports it."""
    checks = {"postgres": "ok", "kafka": "ok"}
    try:
        async with asyncio.timeout(2):
            await runtime.pool.fetchval("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        checks["postgres"] = f"unavailable: {type(error).__name__}"
    if not await runtime.broker.ping(timeout=2):
        checks["kafka"] = "unavailable"
    return checks

"""The health endpoints every service serves.

- `/healthz`, liveness: the process answers. An orchestrator restarts it when this fails.
- `/readyz`, readiness: it can do its HTTP work, which needs Postgres only. Kafka is not part of
  it: requests write to the outbox and the relay publishes later, so during a Kafka outage the
  service keeps serving and taking the events; an orchestrator that pulled every instance out
  of service then would turn an outage nobody noticed into one everybody does.
- `/health/details`, for operators: Postgres, Kafka, whether this process leads its outbox
  relay, and its consumers (group, topics, assigned partitions, running). Always 200 while the
  process answers; the body says what is down.
"""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from convene_delivery.consumer_states import consumer_states
from convene_service.spec import Runtime

_TIMEOUT_SECONDS = 2


def health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Postgres answers: it can serve", responses={503: {"description": "Not ready"}})
    async def readyz(request: Request) -> JSONResponse:
        checks = {"postgres": await _postgres(request.app.state.runtime)}
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)

    @router.get("/health/details", summary="Postgres, Kafka, the outbox relay and the consumers, for operators")
    async def details(request: Request) -> dict[str, object]:
        runtime: Runtime = request.app.state.runtime
        postgres, kafka = await asyncio.gather(_postgres(runtime), _kafka(runtime))
        return {
            "ready": postgres == "ok",
            "checks": {"postgres": postgres, "kafka": kafka},
            "relay": {"leader": runtime.relay is not None and runtime.relay.leading},
            "consumers": consumer_states(runtime.broker),
        }

    return router


async def _postgres(runtime: Runtime) -> str:
    try:
        async with asyncio.timeout(_TIMEOUT_SECONDS):
            await runtime.pool.fetchval("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means not available
        return f"unavailable: {type(error).__name__}"
    return "ok"


async def _kafka(runtime: Runtime) -> str:
    return "ok" if await runtime.broker.ping(timeout=_TIMEOUT_SECONDS) else "unavailable"


async def readiness(runtime: Runtime) -> dict[str, str]:
    """Each dependency's state, "ok" or why not: /metrics reports it (`convene_ready`)."""
    postgres, kafka = await asyncio.gather(_postgres(runtime), _kafka(runtime))
    return {"postgres": postgres, "kafka": kafka}

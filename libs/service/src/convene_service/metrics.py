"""`GET /metrics`: every service's Prometheus metrics (docs/operations.md, "Metrics and alerts").

What is counted as it happens (HTTP requests, messages, publishes, job runs) lives in counters and
histograms. What lives in Postgres or Kafka (the outbox backlog, a service's owed work, consumer
lag) is read when Prometheus scrapes, by bounded queries: a scrape costs a few index reads,
however busy the service, and nothing is recomputed per request or in a loop.

Several HTTP workers (HTTP_WORKERS > 1) share one port, so a scrape reaches one of them: with
PROMETHEUS_MULTIPROC_DIR set, prometheus-client's multiprocess mode writes every worker's values
to files there and the answering worker adds them up. Without it each worker would answer with
its own counts only, so `serve` with several workers makes a fresh directory when none is set
(convene_service.command_line).
"""

import asyncio
import atexit
import logging
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from faststream.kafka.prometheus import KafkaPrometheusMiddleware
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from convene_delivery import metrics as delivery
from convene_service.health import readiness
from convene_service.spec import Runtime

log = logging.getLogger(__name__)

# A scrape that reads Postgres or Kafka gives up after this, and answers with what it has.
SCRAPE_BUDGET_SECONDS = 3.0

HTTP_REQUESTS = Counter(
    "convene_http_requests_total", "HTTP requests answered", ["service", "method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "convene_http_request_duration_seconds",
    "Time from a request's arrival to its answer's last byte",
    ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
POOL_SIZE = Gauge("convene_pool_size", "Postgres connections the pool holds", ["service"], multiprocess_mode="livesum")
POOL_IN_USE = Gauge(
    "convene_pool_in_use", "Postgres connections lent out right now", ["service"], multiprocess_mode="livesum"
)
READY = Gauge(
    "convene_ready",
    "1 when Postgres and Kafka answer this process, as /readyz says",
    ["service", "dependency"],
    multiprocess_mode="liveall",
)
JOB_RUNS = Counter("convene_job_runs_total", "Passes of a background job, by outcome", ["service", "job", "outcome"])

# A service's own scrape-time readings (its owed work): set gauges from bounded queries.
Scrape = Callable[[Runtime], Awaitable[None]]


def job_ran(job: str, *, ok: bool) -> None:
    """Counts one pass of a background job (entrypoints/jobs.py); `ok` is whether it finished."""
    JOB_RUNS.labels(delivery.service(), job, "ok" if ok else "failed").inc()


def broker_middleware(service: str) -> KafkaPrometheusMiddleware:
    """FastStream's own message metrics (convene_received_processed_messages_total by status...)."""
    return KafkaPrometheusMiddleware(registry=REGISTRY, app_name=service, metrics_prefix="convene")


def route_of(app: ASGIApp, scope: Scope) -> str:
    """The route template a request matched (`/members/{member_id}`), never its raw path, so that
    ids do not make a series each; a path no route serves is counted as `unmatched`. FastAPI
    leaves the route it chose in the scope; anything else (a mount) is matched here."""
    chosen = getattr(scope.get("route"), "path", None)
    if isinstance(chosen, str):
        return chosen
    routes = getattr(app, "routes", ())
    for route in routes:
        match, _ = route.matches(scope)
        if match == Match.FULL:
            return str(getattr(route, "path", "unmatched"))
    return "unmatched"


class HttpMetrics:
    """ASGI middleware: counts each answered request by method, route template and status, and
    times it. A request that fails without an answer is counted as 500, as the server sends."""

    def __init__(self, app: ASGIApp, service: str, routes: Any) -> None:
        self._app, self._service, self._routes = app, service, routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self._app(scope, receive, sending)
        finally:
            route, method = route_of(self._routes, scope), scope["method"]
            HTTP_REQUESTS.labels(self._service, method, route, str(status)).inc()
            HTTP_LATENCY.labels(self._service, method, route).observe(time.perf_counter() - started)


def _registry() -> CollectorRegistry:
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry


def metrics_router(scrapes: Sequence[Scrape]) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    async def serve_metrics(request: Request) -> Response:
        runtime: Runtime = request.app.state.runtime
        readings: list[Awaitable[None]] = [_readiness(runtime), _outbox_and_pool(runtime)]
        if runtime.lag is not None:  # the runtime's, so the lifespan closes its clients at shutdown
            readings.append(runtime.lag.record(set(delivery.SUBSCRIBED)))
        await _within_budget([*readings, *(scrape(runtime) for scrape in scrapes)])
        return Response(generate_latest(_registry()), media_type=CONTENT_TYPE_LATEST)

    return router


async def _readiness(runtime: Runtime) -> None:
    for dependency, state in (await readiness(runtime)).items():
        READY.labels(delivery.service(), dependency).set(1 if state == "ok" else 0)


async def _outbox_and_pool(runtime: Runtime) -> None:
    service = delivery.service()
    POOL_SIZE.labels(service).set(runtime.pool.get_size())
    POOL_IN_USE.labels(service).set(runtime.pool.get_size() - runtime.pool.get_idle_size())
    async with runtime.pool.acquire() as conn:
        await delivery.record_backlog(conn)


async def _within_budget(readings: list[Awaitable[None]]) -> None:
    """Each reading on its own: one that fails (Postgres down) leaves the others' values fresh."""
    tasks = [asyncio.ensure_future(reading) for reading in readings]
    done, late = await asyncio.wait(tasks, timeout=SCRAPE_BUDGET_SECONDS)
    for task in late:
        task.cancel()
    for task in done:
        if task.exception() is not None:
            log.warning("a metrics reading failed: %r", task.exception())


def install_metrics(app: FastAPI, service: str, scrapes: Sequence[Scrape]) -> None:
    """Serves `/metrics` and counts every HTTP request: called once by create_app."""
    delivery.name_service(service)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # A worker that stops drops its gauges from the sums (relay leadership, pool); one killed
        # leaves them until the next start's fresh directory (docs/operations.md).
        atexit.register(multiprocess.mark_process_dead, os.getpid())
    app.include_router(metrics_router(scrapes))
    app.add_middleware(HttpMetrics, service=service, routes=app.router)

"""One service process: an HTTP app, its Kafka subscribers, outbox relay and retention, started together.

Each service describes itself with a `ServiceSpec`; `create_app` wires Postgres, migrations,
topics, the broker, subscriptions and the relay into the app's lifespan (nothing connects at
import), and `main` is the service's command line: `serve` or `migrate`.
"""

import asyncio
import importlib
import logging
import os
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import uvicorn
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from faststream.kafka import KafkaBroker

from convene_delivery.consumer import RetryPolicy
from convene_delivery.kafka import KafkaPublisher, ensure_topics, make_broker, require_safe_producer
from convene_delivery.migrations import MigrationSource, migrate, sources_for
from convene_delivery.postgres import OUTAGES, is_outage
from convene_delivery.relay import OutboxRelay
from convene_delivery.retention import DELIVERY_RULES, Pruner, RetentionRule, periods
from convene_service import rate_limits
from convene_service.audit import AuditScope
from convene_service.rate_limits import RateLimits
from convene_service.responses import EVERY_ROUTE
from convene_service.settings import ServiceSettings, load_settings
from convene_service.staff import RouteRoles, StaffDirectory

log = logging.getLogger(__name__)


# A service that knows other kinds of callers (member sessions) says so here, so that an
# operator endpoint can answer 403 ("you are signed in, but not as an operator") instead of 401.
KnownCaller = Callable[[Request, str], Awaitable[bool]]
D = TypeVar("D")


@dataclass
class Runtime:
    """What a running service holds; handlers reach it through `request.app.state.runtime`.

    Every part has a typed field of its own: the service's dependencies (`deps`, its own `Deps`
    class, read back with `deps_as`), its pages, its background jobs, its rate limits."""

    settings: ServiceSettings
    pool: asyncpg.Pool
    broker: KafkaBroker
    retry: RetryPolicy
    rate_limits: RateLimits  # the public rate limits, counted in Postgres, shared by every instance
    deps: object = None  # the service's Deps, set by its spec's `start`
    pages: object = None  # convene_web.pages.Pages of a service with pages (convene_web reads it)
    tasks: list["asyncio.Task[None]"] = field(default_factory=list)  # stopped, in order, at shutdown
    known_caller: KnownCaller | None = None
    staff: StaffDirectory | None = None  # who the staff are (convene_service.staff), set by `start`
    staff_roles: RouteRoles = field(default_factory=dict)  # (method, path) -> roles allowed

    def deps_as(self, kind: type[D]) -> D:
        """The service's own Deps, typed: `runtime.deps_as(Deps)`."""
        if not isinstance(self.deps, kind):
            raise TypeError(f"this runtime's deps are {type(self.deps).__name__}, not {kind.__name__}")
        return self.deps


Start = Callable[[Runtime], Awaitable[None]]
ExceptionHandler = Callable[[Request, Any], Awaitable[Response]]


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    settings_class: type[ServiceSettings]
    migrations: Path
    topics: Sequence[str]  # topics it publishes to or reads from: created at start if missing
    routers: Sequence[APIRouter] = ()
    # Runs once Postgres and topics are ready, before the broker starts: builds the service's Deps
    # (runtime.deps), registers subscriptions, starts background jobs (runtime.tasks).
    start: Start | None = None
    exception_handlers: Mapping[type[Exception], ExceptionHandler] = field(default_factory=dict)
    description: str = ""
    # The service's own tables that retention prunes; the outbox and inbox rules come with the chassis.
    retention: Sequence[RetentionRule] = ()


async def _session_kept(conn: asyncpg.Connection) -> None:
    """What a connection going back to the pool needs beyond asyncpg's rollback of an open
    transaction: nothing. Convene never changes session state on a pooled connection (no SET,
    LISTEN, cursor or session-level lock: listeners and the relay's leader lock have connections
    of their own), so asyncpg's default reset query would cost a round trip per use for nothing."""


async def connect_pool(dsn: str, wait_seconds: float) -> asyncpg.Pool:
    """Opens the pool, waiting for Postgres to accept connections (it may start after us)."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            pool: asyncpg.Pool = await asyncpg.create_pool(
                dsn, min_size=1, max_size=10, command_timeout=10, reset=_session_kept
            )
            return pool
        except OUTAGES:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.5)


# What retention prunes in every service: the delivery tables' rows and the old rate-limit windows.
CHASSIS_RULES = (*DELIVERY_RULES, rate_limits.RETENTION)


def migration_sources(spec: ServiceSpec) -> list[MigrationSource]:
    """The delivery tables, the chassis' own (rate limits), then the service's."""
    delivery, service = sources_for(spec.name, spec.migrations)
    return [delivery, MigrationSource("chassis", rate_limits.MIGRATIONS), service]


def create_app(spec: ServiceSpec, settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or load_settings(spec.settings_class)
    require_safe_producer(settings.kafka_acks, settings.kafka_enable_idempotence)
    prunings = periods([*CHASSIS_RULES, *spec.retention], settings)  # a rule without its setting stops here
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        broker = make_broker(settings, client_id=spec.name)
        pool = await connect_pool(settings.database_url, wait_seconds=60)
        async with pool.acquire() as conn:
            applied = await migrate(conn, migration_sources(spec))
        if applied:
            log.info("applied migrations %s", applied)
        await ensure_topics(
            settings.kafka_bootstrap_servers,
            list(spec.topics),
            settings.kafka_topic_partitions,
            retention_days=settings.kafka_retention_days,
        )
        retry = RetryPolicy(settings.consumer_max_attempts, settings.consumer_backoff_seconds)
        runtime = Runtime(settings=settings, pool=pool, broker=broker, retry=retry, rate_limits=RateLimits(pool))
        app.state.runtime = runtime
        if spec.start is not None:
            await spec.start(runtime)
        await broker.start()
        publisher = KafkaPublisher(settings.kafka_bootstrap_servers, client_id=f"{spec.name}-relay")
        relay = OutboxRelay(pool, settings.database_url, publisher, poll_seconds=settings.outbox_poll_seconds)
        relay_task = asyncio.create_task(relay.run(), name=f"{spec.name}-outbox-relay")
        pruner = Pruner(
            pool,
            prunings,
            batch_size=settings.retention_batch_size,
            interval_seconds=settings.retention_interval_seconds,
        )
        runtime.tasks.append(asyncio.create_task(pruner.run(), name=f"{spec.name}-retention"))
        try:
            yield
        finally:
            # Background work first (it holds pool connections), then Kafka, then Postgres; each
            # step bounded, so a stuck connection cannot keep the process from stopping.
            tasks = [relay_task, *runtime.tasks]
            for task in tasks:
                task.cancel()
            await asyncio.wait(tasks, timeout=10)
            await publisher.close()
            await broker.stop()
            try:
                await asyncio.wait_for(pool.close(), timeout=10)
            except TimeoutError:
                pool.terminate()

    app = FastAPI(title=f"Convene {spec.name}", description=spec.description, lifespan=lifespan)
    app.include_router(_health_router())
    for router in spec.routers:
        app.include_router(router, responses=EVERY_ROUTE)  # declared, so the OpenAPI document states them
    for exception, handler in spec.exception_handlers.items():
        app.add_exception_handler(exception, handler)

    async def _unavailable(request: Request, error: Exception) -> JSONResponse:
        log.warning("answering 503: %s", error)
        return JSONResponse(
            {"detail": "The service's database is unavailable right now; nothing was saved. Try again shortly."},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    async def _closed_connection(request: Request, error: Exception) -> JSONResponse:
        # A rollback on the connection an outage closed raises InterfaceError: still the outage.
        # Any other InterfaceError is a programming error, and stays a 500.
        if is_outage(error):
            return await _unavailable(request, error)
        raise error

    for outage in OUTAGES:
        app.add_exception_handler(outage, _unavailable)
    app.add_exception_handler(asyncpg.InterfaceError, _closed_connection)
    app.add_middleware(AuditScope)  # each request's audit note starts empty (convene_service.audit)
    return app


def _health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Postgres and Kafka answer", responses={503: {"description": "Not ready"}})
    async def readyz(request: Request) -> JSONResponse:
        runtime: Runtime = request.app.state.runtime
        checks = {"postgres": "ok", "kafka": "ok"}
        try:
            async with asyncio.timeout(2):
                await runtime.pool.fetchval("SELECT 1")
        except Exception as error:  # noqa: BLE001 - any failure means not ready
            checks["postgres"] = f"unavailable: {type(error).__name__}"
        if not await runtime.broker.ping(timeout=2):
            checks["kafka"] = "unavailable"
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse({"ready": ready, "checks": checks}, status_code=200 if ready else 503)

    return router


def main(spec: ServiceSpec, argv: Sequence[str] | None = None) -> None:
    """`python -m <service> serve` runs the service; `... migrate` applies migrations and exits."""
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else "serve"
    settings = load_settings(spec.settings_class)
    if command == "migrate":
        asyncio.run(_migrate_only(spec, settings))
    elif command == "serve":
        options: dict[str, Any] = {
            "host": settings.http_host,
            "port": settings.http_port,
            "loop": "uvloop",
            "access_log": False,
            "log_level": settings.log_level.lower(),
            "proxy_headers": True,
            "forwarded_allow_ips": settings.forwarded_allow_ips,
        }
        if settings.http_workers == 1:
            uvicorn.run(create_app(spec, settings), **options)
        else:
            # Several processes share the port. Each runs the relay, consumers and sweepers too, which
            # is safe: they are built for several instances (one relay leader, SKIP LOCKED, inboxes).
            os.environ[SPEC_VARIABLE] = f"{spec.name}.bootstrap:SPEC"
            uvicorn.run(f"{__name__}:app_from_environment", factory=True, workers=settings.http_workers, **options)
    else:
        raise SystemExit(f"usage: python -m {spec.name} [serve|migrate]")


SPEC_VARIABLE = "CONVENE_SERVICE_SPEC"


def app_from_environment() -> FastAPI:
    """The app for one of several HTTP worker processes, which uvicorn starts by import path."""
    module, _, name = os.environ[SPEC_VARIABLE].partition(":")
    spec = getattr(importlib.import_module(module), name)
    assert isinstance(spec, ServiceSpec)
    return create_app(spec, load_settings(spec.settings_class))


async def _migrate_only(spec: ServiceSpec, settings: ServiceSettings) -> None:
    conn = await asyncpg.connect(settings.database_url)
    try:
        for name in await migrate(conn, migration_sources(spec)):
            print(f"applied {name}")
    finally:
        await conn.close()

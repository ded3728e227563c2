"""One service process: an HTTP app, its Kafka subscribers, outbox relay and retention, started together.

Each service describes itself with a `ServiceSpec`; `create_app` wires Postgres, migrations,
topics, the broker, subscriptions and the relay into the app's lifespan (nothing connects at
import). The types are in convene_service.spec, the health endpoints in convene_service.health,
the command line (`serve`, `migrate`) in convene_service.command_line.
"""

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from convene_delivery.consumer import RetryPolicy
from convene_delivery.kafka import KafkaPublisher, ensure_topics, make_broker, require_safe_producer
from convene_delivery.lag import KafkaLag
from convene_delivery.migrations import MigrationSource, migrate
from convene_delivery.postgres import OUTAGES, is_outage
from convene_delivery.relay import OutboxRelay
from convene_delivery.retention import DELIVERY_RULES, Pruner, periods
from convene_service import rate_limits
from convene_service.audit import AuditScope
from convene_service.health import health_router
from convene_service.logs import set_up_logs
from convene_service.metrics import broker_middleware, install_metrics
from convene_service.migration_sources import service_migration_sources
from convene_service.rate_limits import RateLimits
from convene_service.request_log import RequestLog
from convene_service.responses import EVERY_ROUTE
from convene_service.settings import ServiceSettings, load_settings
from convene_service.spec import Runtime, ServiceSpec
from convene_service.tracing import start_tracing

log = logging.getLogger(__name__)


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
    return service_migration_sources(spec.name, spec.migrations)


def create_app(spec: ServiceSpec, settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or load_settings(spec.settings_class)
    require_safe_producer(settings.kafka_acks, settings.kafka_enable_idempotence)
    prunings = periods([*CHASSIS_RULES, *spec.retention], settings)  # a rule without its setting stops here
    set_up_logs(spec.name, settings.log_level, settings.log_format, settings.log_instance)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        broker = make_broker(settings, client_id=spec.name, middlewares=[broker_middleware(spec.name)])
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
            replication_factor=settings.kafka_topic_replication_factor,
            min_insync_replicas=settings.kafka_topic_min_insync_replicas,
        )
        retry = RetryPolicy(settings.consumer_max_attempts, settings.consumer_backoff_seconds)
        runtime = Runtime(settings=settings, pool=pool, broker=broker, retry=retry, rate_limits=RateLimits(pool))
        runtime.lag = lag = KafkaLag(settings.kafka_bootstrap_servers)  # its clients open on the first scrape
        app.state.runtime = runtime
        if spec.start is not None:
            await spec.start(runtime)
        await broker.start()
        publisher = KafkaPublisher(settings.kafka_bootstrap_servers, client_id=f"{spec.name}-relay")
        relay = OutboxRelay(pool, settings.database_url, publisher, poll_seconds=settings.outbox_poll_seconds)
        runtime.relay = relay
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
            await lag.close()
            try:
                await asyncio.wait_for(pool.close(), timeout=10)
            except TimeoutError:
                pool.terminate()

    app = FastAPI(title=f"Convene {spec.name}", description=spec.description, lifespan=lifespan)
    app.include_router(health_router())
    install_metrics(app, spec.name, spec.scrapes)  # GET /metrics, and every request counted
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
    app.add_middleware(RequestLog)  # outermost: the correlation id and the access line (convene_service.request_log)
    start_tracing(spec.name, app)  # only when an OTLP endpoint is configured (convene_service.tracing)
    return app

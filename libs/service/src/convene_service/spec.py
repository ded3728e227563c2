"""What a service is (`ServiceSpec`) and what a running one holds (`Runtime`): the types every
part of the chassis and every service's bootstrap share. convene_service.runtime assembles them."""

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
from fastapi import APIRouter, Request
from fastapi.responses import Response
from faststream.kafka import KafkaBroker

from convene_delivery.consumer import RetryPolicy
from convene_delivery.lag import KafkaLag
from convene_delivery.relay import OutboxRelay
from convene_delivery.retention import RetentionRule
from convene_service.rate_limits import RateLimits
from convene_service.settings import ServiceSettings
from convene_service.staff import RouteRoles, StaffDirectory

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
    relay: OutboxRelay | None = None  # this process's outbox relay, set once it runs
    lag: KafkaLag | None = None  # the consumer-lag reader of GET /metrics, closed at shutdown

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
    # Readings of the service's own owed work for GET /metrics (convene_service.metrics.Scrape).
    scrapes: Sequence[Callable[[Runtime], Awaitable[None]]] = ()

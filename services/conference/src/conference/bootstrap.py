"""Wires the conference service together."""

import asyncio
from functools import partial
from pathlib import Path

from conference.adapters.hold_batches import HoldBatches
from conference.adapters.stripe_gateway import StripeGateway
from conference.adapters.unit_of_work import PostgresUnitOfWork
from conference.adapters.views import PostgresViews
from conference.config import ConferenceSettings
from conference.entrypoints.http import ROUTERS
from conference.entrypoints.http.errors import EXCEPTION_HANDLERS
from conference.entrypoints.jobs import issue_refunds, sweep_holds
from conference.entrypoints.metrics import read_refunds
from conference.entrypoints.pages import ROUTERS as PAGE_ROUTERS
from conference.entrypoints.pages import TEMPLATES
from conference.entrypoints.pages.formatting import FILTERS
from conference.entrypoints.pages.operator import OPERATOR_PAGES
from conference.entrypoints.roles import ROLES
from conference.entrypoints.subscribers import subscribe
from conference.service_layer.deps import Deps
from convene_contracts import CONFERENCE, EXPORTS, MEMBERSHIP
from convene_delivery.retention import RetentionRule
from convene_service.spec import Runtime, ServiceSpec
from convene_service.staff import StaffDirectory, subscribe_to_staff
from convene_web.handlers import EXCEPTION_HANDLERS as PAGE_EXCEPTION_HANDLERS
from convene_web.pages import install_pages


async def start(runtime: Runtime) -> None:
    settings = runtime.settings
    assert isinstance(settings, ConferenceSettings)
    pool = runtime.pool
    deps = Deps(
        settings=settings,
        stripe=StripeGateway(settings),
        holds=HoldBatches(pool),
        views=PostgresViews(pool),
        uow=partial(PostgresUnitOfWork, pool),
    )
    runtime.deps = deps
    install_pages(runtime, "/events", TEMPLATES).env.filters.update(FILTERS)
    subscribe(runtime)
    runtime.staff = StaffDirectory(pool, settings.session_secret)
    runtime.staff_roles = ROLES
    subscribe_to_staff(runtime.broker, pool, "conference", runtime.retry)
    runtime.tasks.append(asyncio.create_task(sweep_holds(deps), name="hold-sweeper"))
    runtime.tasks.append(asyncio.create_task(issue_refunds(deps), name="refunds"))


SPEC = ServiceSpec(
    name="conference",
    settings_class=ConferenceSettings,
    migrations=Path(__file__).parent / "migrations",
    topics=[MEMBERSHIP, CONFERENCE, EXPORTS],
    routers=[*ROUTERS, *OPERATOR_PAGES, *PAGE_ROUTERS],  # operator pages before the public /events/{...}
    start=start,
    # A Stripe event id stops a repeated webhook; Stripe retries for 3 days, so a month is plenty.
    retention=[RetentionRule.rows("stripe_events", "received_at", "stripe_events_retention_days")],
    exception_handlers=EXCEPTION_HANDLERS | PAGE_EXCEPTION_HANDLERS,  # type: ignore[arg-type]
    description="Conferences, ticket types, holds and registrations. Publishes convene.conference.v1.",
    scrapes=[read_refunds],  # refunds owed and failed, on GET /metrics
)

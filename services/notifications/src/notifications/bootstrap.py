"""Wires the notifications service together: templates, intake, subscriptions, the sender."""

import asyncio
from collections.abc import Sequence
from pathlib import Path

import asyncpg

from convene_contracts import CONFERENCE, EXPORTS, MEMBERSHIP, NOTIFICATIONS
from convene_delivery.retention import RetentionRule
from convene_service.spec import Runtime, ServiceSpec
from convene_service.staff import StaffDirectory, subscribe_to_staff
from convene_web.handlers import EXCEPTION_HANDLERS as PAGE_EXCEPTION_HANDLERS
from convene_web.pages import install_pages
from notifications.adapters.qr import drawn
from notifications.adapters.repository import PostgresSendingQueue
from notifications.adapters.retention import prune_delivery_bodies
from notifications.adapters.send_pace import SharedSendRate
from notifications.adapters.smtp import SmtpConnection
from notifications.adapters.templates import Renderer
from notifications.adapters.unit_of_work import PostgresUnitOfWork
from notifications.adapters.views import PostgresViews
from notifications.config import NotificationsSettings
from notifications.domain.unsubscribe_links import UnsubscribeLinks
from notifications.entrypoints.http import ROUTERS
from notifications.entrypoints.http.errors import EXCEPTION_HANDLERS
from notifications.entrypoints.jobs import send_emails
from notifications.entrypoints.metrics import read_emails
from notifications.entrypoints.pages import ROUTERS as PAGE_ROUTERS
from notifications.entrypoints.pages import TEMPLATES
from notifications.entrypoints.pages.operator import OPERATOR_PAGES
from notifications.entrypoints.roles import ROLES
from notifications.entrypoints.subscribers import subscribe
from notifications.service_layer.deps import Deps, SendCap, Smtp

SENDER_WORKERS = 4


def renderer_for(settings: NotificationsSettings) -> Renderer:
    branding = {
        "association": settings.association_name,
        "colour": settings.association_colour,
        "address": settings.association_address,
    }
    return Renderer(branding, settings.templates_override_dir)


def build_deps(
    settings: NotificationsSettings,
    pool: asyncpg.Pool,
    smtp: Sequence[Smtp] | None = None,
    rate: SendCap | None = None,
) -> Deps:
    """The service's dependencies on Postgres: SENDER_WORKERS SMTP connections unless given."""
    links = UnsubscribeLinks(settings.unsubscribe_secret, settings.public_base_url, settings.notifications_pages_url)
    return Deps(
        settings=settings,
        renderer=renderer_for(settings),
        links=links,
        draw_qr=drawn,
        smtp=list(smtp) if smtp is not None else [SmtpConnection(settings) for _ in range(SENDER_WORKERS)],
        rate=rate or SharedSendRate(pool, settings.send_rate_per_second),
        uow=lambda: PostgresUnitOfWork(pool),
        queue=PostgresSendingQueue(pool),
        views=PostgresViews(pool),
    )


async def start(runtime: Runtime) -> None:
    settings = runtime.settings
    assert isinstance(settings, NotificationsSettings)
    deps = build_deps(settings, runtime.pool)
    runtime.deps = deps
    install_pages(runtime, "/mail", TEMPLATES)
    subscribe(runtime, deps)
    runtime.staff = StaffDirectory(runtime.pool, settings.session_secret)
    runtime.staff_roles = ROLES
    subscribe_to_staff(runtime.broker, runtime.pool, "notifications", runtime.retry)
    runtime.tasks.append(asyncio.create_task(send_emails(deps), name="email-sender"))


SPEC = ServiceSpec(
    name="notifications",
    settings_class=NotificationsSettings,
    migrations=Path(__file__).parent / "migrations",
    topics=[MEMBERSHIP, CONFERENCE, NOTIFICATIONS, EXPORTS],
    routers=[*ROUTERS, *OPERATOR_PAGES, *PAGE_ROUTERS],
    exception_handlers={**PAGE_EXCEPTION_HANDLERS, **EXCEPTION_HANDLERS},
    start=start,
    retention=[RetentionRule("delivery bodies", "delivery_bodies_retention_days", prune_delivery_bodies)],
    description="Turns every fact into exactly one email. Publishes convene.notifications.v1.",
    scrapes=[read_emails],  # emails owed and due, on GET /metrics
)

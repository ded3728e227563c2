"""Wires the notifications service together: templates, intake, subscriptions, the sender."""

import asyncio
from pathlib import Path

from convene_contracts import CONFERENCE, MEMBERSHIP, NOTIFICATIONS
from convene_service.runtime import Runtime, ServiceSpec
from convene_web.handlers import EXCEPTION_HANDLERS as PAGE_EXCEPTION_HANDLERS
from convene_web.pages import install_pages
from notifications.adapters.smtp import SmtpConnection
from notifications.adapters.templates import Renderer
from notifications.config import NotificationsSettings
from notifications.entrypoints.http import router
from notifications.entrypoints.pages import ROUTERS as PAGE_ROUTERS
from notifications.entrypoints.pages import TEMPLATES
from notifications.entrypoints.pages.operator import OPERATOR_PAGES
from notifications.entrypoints.subscribers import subscribe
from notifications.service_layer.intake import Intake
from notifications.service_layer.sender import Sender

SENDER_WORKERS = 4


def renderer_for(settings: NotificationsSettings) -> Renderer:
    branding = {"association": settings.association_name, "colour": settings.association_colour,
                "address": settings.association_address}  # fmt: skip
    return Renderer(branding, settings.templates_override_dir)


async def start(runtime: Runtime) -> None:
    settings = runtime.settings
    assert isinstance(settings, NotificationsSettings)
    intake = Intake(runtime.pool, renderer_for(settings), settings)
    runtime.deps = intake
    install_pages(runtime, "/mail", TEMPLATES)
    subscribe(runtime, intake)
    sender = Sender(runtime.pool, settings, [SmtpConnection(settings) for _ in range(SENDER_WORKERS)])
    runtime.tasks.append(asyncio.create_task(sender.run(), name="email-sender"))


SPEC = ServiceSpec(
    name="notifications",
    settings_class=NotificationsSettings,
    migrations=Path(__file__).parent / "migrations",
    topics=[MEMBERSHIP, CONFERENCE, NOTIFICATIONS],
    routers=[router, *OPERATOR_PAGES, *PAGE_ROUTERS],
    exception_handlers=PAGE_EXCEPTION_HANDLERS,
    start=start,
    description="Turns every fact into exactly one email. Publishes convene.notifications.v1.",
)

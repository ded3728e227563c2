"""Notifications' Kafka subscriptions and its background sweeper."""

import asyncio
import logging
from functools import partial

from convene_contracts import MEMBERSHIP
from convene_delivery.consumer import Subscription
from convene_delivery.runtime import Runtime
from notifications.adapters.smtp import SmtpSender
from notifications.adapters.templates import Renderer
from notifications.config import NotificationsSettings
from notifications.service_layer import handlers
from notifications.service_layer.deliveries import send_overdue

log = logging.getLogger(__name__)


async def subscribe(runtime: Runtime) -> None:
    settings = runtime.settings
    assert isinstance(settings, NotificationsSettings)
    deps = handlers.Dependencies(runtime.pool, Renderer(settings.association_name), SmtpSender(settings))
    Subscription(
        runtime.broker,
        topic=MEMBERSHIP,
        group_id="notifications",
        handlers={
            "membership.activated": partial(handlers.membership_activated, deps),
            "membership.sign_in_requested": partial(handlers.sign_in_requested, deps),
        },
        retry=runtime.retry,
    )
    runtime.extras.setdefault("tasks", []).append(
        asyncio.create_task(_sweep(deps, settings.resend_pending_after_seconds), name="notifications-sweeper")
    )


async def _sweep(deps: handlers.Dependencies, older_than: float) -> None:
    while True:
        await asyncio.sleep(older_than / 2)
        try:
            await send_overdue(deps.pool, deps.sender, older_than)
        except Exception:
            log.warning("sweeper pass failed", exc_info=True)

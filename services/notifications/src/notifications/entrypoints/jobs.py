"""Notifications' background job: the email sender. Its workers (one per SMTP connection) each
run passes of service_layer/sending.py's `send_due`, and sleep until a new delivery's NOTIFY or
the next poll. Safe with several instances: a claim keeps each email to one worker."""

import asyncio
import logging
from contextlib import suppress

from convene_service.metrics import job_ran
from notifications.adapters.wake_up import woken_by_new_deliveries
from notifications.service_layer.deps import Deps, Smtp
from notifications.service_layer.sending import send_due

log = logging.getLogger(__name__)


async def send_emails(deps: Deps) -> None:
    async with woken_by_new_deliveries(deps.settings.database_url) as wake:
        await asyncio.gather(*(_work(deps, smtp, wake) for smtp in deps.smtp))


async def _work(deps: Deps, smtp: Smtp, wake: asyncio.Event) -> None:
    while True:
        # Cleared before looking, not after finding nothing: a NOTIFY that arrives while this
        # pass looks would otherwise be lost and its email wait for the next poll.
        wake.clear()
        try:
            sent = await send_due(deps, smtp)
            job_ran("sender", ok=True)
            if sent:
                continue
        except Exception:
            job_ran("sender", ok=False)
            log.warning("sender pass failed", exc_info=True)
        with suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), deps.settings.sender_poll_seconds)

"""Membership's background jobs: the dues calendar, run every SCHEDULER_INTERVAL_SECONDS inside
the service process. Each pass is the `run_lifecycle` use case; several instances may run it at
once (it skips memberships another instance holds)."""

import asyncio
import logging

from convene_service.metrics import job_ran
from membership.service_layer.deps import Deps
from membership.service_layer.lifecycle import run_lifecycle

log = logging.getLogger(__name__)


async def run_dues_calendar(deps: Deps) -> None:
    while True:
        try:
            report = await run_lifecycle(deps, deps.clock())
            if report.reminded or report.in_grace or report.lapsed:
                log.info("dues calendar: %s", report)
            job_ran("dues_calendar", ok=True)
        except Exception:
            job_ran("dues_calendar", ok=False)
            log.warning("dues calendar pass failed; trying again next interval", exc_info=True)
        await asyncio.sleep(deps.settings.scheduler_interval_seconds)

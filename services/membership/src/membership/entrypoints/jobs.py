"""Membership's background jobs: the dues calendar, run every SCHEDULER_INTERVAL_SECONDS inside
the service process, and the member imports (M12). Each pass of the calendar is the `run_lifecycle`
use case; several instances may run it at once (it skips memberships another instance holds)."""

import asyncio
import logging

from convene_service.metrics import job_ran
from membership.service_layer.deps import Deps
from membership.service_layer.import_job import Pass, import_next_batch
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


async def run_member_imports(deps: Deps) -> None:
    """Applies started member imports (M12) batch by batch, without pause while one has rows
    left; several instances share the work (each batch locks its import)."""
    while True:
        try:
            done = await import_next_batch(deps, deps.settings.import_batch_rows)
            if done.finished:
                log.info("member import %s finished", done.import_id)
            job_ran("member_imports", ok=True)
        except Exception:
            job_ran("member_imports", ok=False)
            log.warning("member import batch failed; trying again next interval", exc_info=True)
            done = Pass(None)
        if done.import_id is None:
            await asyncio.sleep(deps.settings.import_poll_seconds)

"""Background jobs: each loop calls use cases and sleeps; bootstrap starts them. Safe with
several instances (each pass locks what it changes, SKIP LOCKED where others may be at work)."""

import asyncio
import logging

from conference.service_layer import refunds
from conference.service_layer.deps import Deps
from conference.service_layer.payments import release_expired_holds
from conference.service_layer.waitlist import expire_offers
from convene_service.metrics import job_ran

log = logging.getLogger(__name__)


async def sweep_holds(deps: Deps) -> None:
    """Releases expired holds and passes on unclaimed waitlist offers every HOLD_SWEEP_SECONDS."""
    while True:
        try:
            released = await release_expired_holds(deps, deps.clock())
            passed_on = await expire_offers(deps, deps.clock())
            if released or passed_on:
                log.info("released %d expired holds; passed on %d unclaimed offers", released, passed_on)
            job_ran("hold_sweep", ok=True)
        except Exception:
            job_ran("hold_sweep", ok=False)
            log.warning("hold sweep failed; trying again next interval", exc_info=True)
        await asyncio.sleep(deps.settings.hold_sweep_seconds)


async def issue_refunds(deps: Deps) -> None:
    """Asks Stripe for every owed refund that is due, every HOLD_SWEEP_SECONDS (a refund is
    asked at once when it is decided; this pass is for those Stripe did not answer)."""
    while True:
        try:
            issued = await refunds.issue_due(deps, deps.clock())
            if issued:
                log.info("issued %d owed refunds", issued)
            job_ran("refunds", ok=True)
        except Exception:
            job_ran("refunds", ok=False)
            log.warning("refund pass failed; trying again next interval", exc_info=True)
        await asyncio.sleep(deps.settings.hold_sweep_seconds)

"""Releases expired holds every HOLD_SWEEP_SECONDS inside the service process."""

import asyncio
import logging

from conference.service_layer.deps import Deps
from conference.service_layer.registration import release_expired_holds

log = logging.getLogger(__name__)


async def sweep_holds(deps: Deps) -> None:
    while True:
        try:
            released = await release_expired_holds(deps, deps.clock())
            if released:
                log.info("released %d expired holds", released)
        except Exception:
            log.warning("hold sweep failed; trying again next interval", exc_info=True)
        await asyncio.sleep(deps.settings.hold_sweep_seconds)

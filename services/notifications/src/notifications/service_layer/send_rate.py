"""The send cap (N6) kept in one process: the unit tier's, on a clock of its own. A running service
shares its cap across instances through Postgres instead (adapters/send_pace.py)."""

import asyncio
import time
from collections.abc import Awaitable, Callable


class SendRate:
    """At most `per_second` sends across all workers: slots handed out one after another.
    The clock and the sleep are parameters so that tests can run the cap on a clock of their own."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._interval = 1 / per_second
        self._clock, self._sleep = clock, sleep
        self._next = clock()

    async def wait(self) -> None:
        now = self._clock()
        slot = max(now, self._next)
        self._next = slot + self._interval
        if slot > now:
            await self._sleep(slot - now)

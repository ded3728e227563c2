"""The send cap (N6) across every instance of notifications: send slots handed out by Postgres.

Each send first takes the next slot, one interval (1 / SEND_RATE_PER_SECOND) after the last one
handed out or now, whichever is later, in one UPDATE of the table's one row; then it waits until
that slot. The row lock makes two senders, in one process or in two, take different slots, and
the slots come from the database's clock, so instances on hosts whose clocks differ still space
them right. A database outage raises here, before any email goes: the sender's pass fails and is
tried again, so an outage can slow sending but never lets it past the cap.
"""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import asyncpg
from prometheus_client import Histogram

_TAKE_SLOT = """
UPDATE send_pace SET next_slot = greatest(next_slot, clock_timestamp()) + $1::interval
RETURNING extract(epoch FROM next_slot - $1::interval - clock_timestamp())::float8
"""


SEND_CAP_WAIT = Histogram(
    "convene_email_send_cap_wait_seconds",
    "How long an email waited for its send slot under the send cap (0 when a slot was free)",
    ["service"],
    buckets=(0, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60),
)


class SharedSendRate:
    def __init__(
        self, pool: asyncpg.Pool, per_second: float, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    ) -> None:
        self._pool = pool
        self._interval = timedelta(seconds=1 / per_second)
        self._sleep = sleep

    async def wait(self) -> None:
        """Returns when this process may hand one email to the SMTP server."""
        ahead: float = await self._pool.fetchval(_TAKE_SLOT, self._interval)
        SEND_CAP_WAIT.labels("notifications").observe(max(ahead, 0.0))
        if ahead > 0:
            await self._sleep(ahead)

"""The public rate limits, shared by every instance and HTTP worker of a service (property 27).

A call is counted in the service's own database, so two instances (or two workers) together
allow what one would. Counting is a sliding window approximated from two fixed ones, as
Cloudflare's limiter does: the calls of the current minute plus the previous minute's, weighted
by how much of it the sliding minute still covers, rounded up (so crossing into a new minute lets
no extra call through). That needs one row per client and minute and
no list of timestamps, so a limit lifted to millions (the benchmarks' load generator) costs the
same one statement as a limit of 20.

The check is that one statement: an INSERT ... ON CONFLICT DO UPDATE whose conditions hold only
while the estimate is under the limit, so two concurrent calls never both take the last place.
A refused call changes nothing (no row comes back), so a client that keeps retrying is let in
again once the window has moved on, as Retry-After says.
"""

import math
import time
from datetime import timedelta
from pathlib import Path

import asyncpg

from convene_delivery.retention import RetentionRule

MIGRATIONS = Path(__file__).parent / "migrations"
WINDOW = timedelta(minutes=1)
RETENTION = RetentionRule.rows("rate_limit_windows", "window_start", "rate_limit_retention_days")

# $1 endpoint, $2 client address, $3 the limit per window, $4 the window's length. Windows start
# on whole minutes since the epoch (date_bin), the same for every instance: the database's clock.
_TAKE = """
WITH here AS (
    SELECT date_bin($4::interval, now(), timestamptz 'epoch') AS window_start
), carried AS (
    SELECT here.window_start,
           ceil(coalesce((SELECT p.calls FROM rate_limit_windows p
                          WHERE p.endpoint = $1 AND p.client = $2
                            AND p.window_start = here.window_start - $4::interval), 0)
                * (1 - extract(epoch FROM now() - here.window_start) / extract(epoch FROM $4::interval))) AS calls
    FROM here
)
INSERT INTO rate_limit_windows AS w (endpoint, client, window_start, calls)
SELECT $1, $2, carried.window_start, 1 FROM carried WHERE carried.calls < $3
ON CONFLICT (endpoint, client, window_start) DO UPDATE SET calls = w.calls + 1
    WHERE w.calls + (SELECT calls FROM carried) < $3
RETURNING w.calls
"""


class RateLimits:
    """Counts calls per endpoint and client address in Postgres. An outage raises asyncpg's (or
    the OS's) error, which the runtime answers with 503 and Retry-After, as for any request."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    async def take(self, endpoint: str, client: str, per_minute: int) -> int | None:
        """Counts one call; None when it is allowed, else the seconds to wait before the next."""
        calls = await self._pool.fetchval(_TAKE, endpoint, client, per_minute, WINDOW)
        if calls is not None:
            return None
        # This window holds at most `per_minute` calls (each was let in under the limit), so once
        # it has ended and 1/per_minute of the next has passed, its weighted count, rounded up,
        # leaves a place. Windows start on whole minutes of the epoch, as time.time() counts.
        window = WINDOW.total_seconds()
        return math.ceil(window - time.time() % window + window / per_minute)

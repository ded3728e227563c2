"""Capacity as sharded counters (C4): never oversold, and not one-sale-at-a-time.

A pool (a ticket type, or a whole conference) is split over SHARDS rows. A hold takes one unit
from a random row that has room and is not locked by another hold in flight (SKIP LOCKED), so
concurrent holds update different rows instead of queueing on one. If every row with room is
busy it waits briefly and tries again; it answers "sold out" only when no row has room, and if
rows with room stay locked past TAKE_DEADLINE_SECONDS it raises TimeoutError (a 503: try
again), never a false "sold out". The table's CHECK (taken <= capacity) is the guarantee
underneath: no code path can oversell.
"""

import asyncio
import time
from typing import Protocol
from uuid import UUID

from convene_delivery.postgres import Connection

SHARDS = 16
TAKE_DEADLINE_SECONDS = 10.0

_TAKE_FREE_ROW = """
    UPDATE capacity_shards SET taken = taken + 1
    WHERE (pool_id, shard) = (SELECT pool_id, shard FROM capacity_shards
                              WHERE pool_id = $1 AND taken < capacity
                              ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING shard"""


class Capacity(Protocol):
    async def take(self, conn: Connection, pool_id: UUID) -> int | None: ...
    async def release(self, conn: Connection, pool_id: UUID, shard: int) -> None: ...


async def create_pool(conn: Connection, pool_id: UUID, capacity: int, shards: int = SHARDS) -> None:
    """Splits `capacity` as evenly as it goes over `shards` rows."""
    base, extra = divmod(capacity, shards)
    await conn.executemany(
        "INSERT INTO capacity_shards (pool_id, shard, capacity) VALUES ($1, $2, $3)",
        [(pool_id, i, base + (1 if i < extra else 0)) for i in range(shards)],
    )


async def available(conn: Connection, pool_id: UUID) -> int:
    free: int = await conn.fetchval(
        "SELECT coalesce(sum(capacity - taken), 0) FROM capacity_shards WHERE pool_id = $1", pool_id
    )
    return free


class ShardedCapacity:
    async def take(self, conn: Connection, pool_id: UUID) -> int | None:
        """Takes one unit in the caller's transaction; the shard it came from, or None if sold out."""
        deadline = time.monotonic() + TAKE_DEADLINE_SECONDS
        attempt = 0
        while time.monotonic() < deadline:
            shard: int | None = await conn.fetchval(_TAKE_FREE_ROW, pool_id)
            if shard is not None:
                return shard
            if await available(conn, pool_id) == 0:
                return None
            # Every row with room is locked by a hold in flight: one of them finishes in moments.
            await asyncio.sleep(min(0.001 * 2**attempt, 0.05))
            attempt += 1
        raise TimeoutError(f"capacity of {pool_id} stayed locked for {TAKE_DEADLINE_SECONDS}s")

    async def release(self, conn: Connection, pool_id: UUID, shard: int) -> None:
        await conn.execute(
            "UPDATE capacity_shards SET taken = taken - 1 WHERE pool_id = $1 AND shard = $2", pool_id, shard
        )

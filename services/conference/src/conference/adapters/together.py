"""Calls that arrive together go together (docs/benchmarks.md, B1).

While one batch for a key is in flight, the calls that arrive for that key wait; when it is done,
the next batch takes all of them (up to `limit`). Like a group commit: under load, one round trip
per batch instead of per call; in a quiet moment, a batch of one that goes at once.
"""

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")
R = TypeVar("R")


class Together(Generic[K, T, R]):
    def __init__(self, run: Callable[[K, list[T]], Awaitable[list[R]]], limit: int) -> None:
        """`run` answers a batch with one result per item, in order; if it raises, every call of
        that batch raises the same error."""
        self._run, self._limit = run, limit
        self._waiting: dict[K, list[tuple[T, asyncio.Future[R]]]] = {}
        self._runners: dict[K, asyncio.Task[None]] = {}

    async def __call__(self, key: K, item: T) -> R:
        done: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(key, []).append((item, done))
        if key not in self._runners:
            self._runners[key] = asyncio.create_task(self._run_all(key))
        return await done

    async def _run_all(self, key: K) -> None:
        try:
            while waiting := self._waiting.pop(key, []):
                for start in range(0, len(waiting), self._limit):
                    await self._run_batch(key, waiting[start : start + self._limit])
        finally:
            del self._runners[key]

    async def _run_batch(self, key: K, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await self._run(key, [item for item, _ in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"{len(results)} answers for a batch of {len(batch)}")
        except asyncio.CancelledError:  # the service is stopping: nobody waits for an answer forever
            for _, done in batch:
                done.cancel()
            raise
        except Exception as error:  # noqa: BLE001 - not swallowed: every caller of the batch raises it
            for _, done in batch:
                if not done.done():
                    done.set_exception(error)
            return
        for (_, done), result in zip(batch, results, strict=True):
            if not done.done():
                done.set_result(result)

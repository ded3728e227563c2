"""The faults the chaos test inflicts, each timed as a window: from the moment it starts until the
fault is repaired and every service says it is ready again (`/readyz`: Postgres) and reaches Kafka
again (`/health/details`: readiness leaves Kafka out, so the window asks for both)."""

import asyncio
import os
import signal
import time
from dataclasses import dataclass, field

import httpx

from tests.support.chaos_world import World
from tests.support.waiting import wait_until


@dataclass(frozen=True)
class Window:
    fault: str
    start: float
    end: float

    def overlaps(self, start: float, end: float) -> bool:
        return start <= self.end and end >= self.start


@dataclass
class Faults:
    world: World
    windows: list[Window] = field(default_factory=list)
    kafka_pause: float = float(os.environ.get("CONVENE_CHAOS_KAFKA_PAUSE_SECONDS", "30"))

    def kills(self, name: str) -> int:
        return sum(1 for w in self.windows if w.fault == f"kill -9 {name}")

    def inside_a_window(self, start: float, end: float) -> bool:
        return any(w.overlaps(start, end) for w in self.windows)

    async def all_ready(self) -> None:
        async with httpx.AsyncClient(timeout=5) as client:

            async def ready() -> bool:
                for process in self.world.processes:
                    try:
                        if (await client.get(f"{process.url}/readyz")).status_code != 200:
                            return False
                        details = (await client.get(f"{process.url}/health/details")).json()
                        if details["checks"]["kafka"] != "ok":
                            return False
                    except httpx.TransportError:
                        return False
                return True

            await wait_until(ready, seconds=120)

    async def _timed(self, fault: str, start: float) -> None:
        await self.all_ready()
        self.windows.append(Window(fault, start, time.monotonic()))

    async def kill_and_start(self, name: str) -> None:
        """kill -9: no shutdown, no flush, whatever was in flight is cut off. Then start it again."""
        process = self.world.services[name]
        start = time.monotonic()
        assert process.process is not None
        process.process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(process.process.wait)
        await asyncio.to_thread(process.start)
        await self._timed(f"kill -9 {name}", start)

    async def stop_kafka(self) -> None:
        start = time.monotonic()
        await self.world.kafka.stop()
        await asyncio.sleep(self.kafka_pause)  # the outage itself: Kafka is away this long
        await self.world.kafka.start()
        await self._timed(f"Kafka stopped {self.kafka_pause:.0f}s", start)

    async def restart_postgres(self) -> None:
        start = time.monotonic()
        await asyncio.to_thread(self.world.postgres.restart)
        await self._timed("Postgres restarted (fast)", start)

    async def inflict_all(self, calm: float) -> None:
        """Each fault in turn, with `calm` seconds of load between them (outside any window)."""
        for name in ("membership", "conference", "notifications"):
            await asyncio.sleep(calm)
            await self.kill_and_start(name)
        await asyncio.sleep(calm)
        await self.stop_kafka()
        await asyncio.sleep(calm)
        await self.restart_postgres()

"""Every service as two processes on one database each, against a three-broker Kafka cluster:
the chaos test's world (tests/support/chaos_world.py), with a second instance of each service
and the cluster in place of the single broker. The test owns all of it but stripe-mock."""

import asyncio
import contextlib
import itertools
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.chaos_world import World, _create_databases, _processes
from tests.support.kafka_cluster import KafkaCluster
from tests.support.postgres_server import PostgresServer
from tests.support.services import SERVICES, ServiceProcess
from tests.support.smtp import SmtpServer

# Both instances of a service: the topics they create have three copies, two in sync; the jobs
# look for due work every second, so items made due during the test are done within it.
INSTANCE_SETTINGS = {
    "KAFKA_TOPIC_REPLICATION_FACTOR": "3",
    "KAFKA_TOPIC_MIN_INSYNC_REPLICAS": "2",
    "SCHEDULER_INTERVAL_SECONDS": "1",
    "HOLD_SWEEP_SECONDS": "1",
}


READY_WITHIN = 240.0  # six services, three brokers and Postgres on two loaded cores start slowly


class PatientProcess(ServiceProcess):
    """A service process given longer to be ready (when started here and by the chaos faults)."""

    def start(self, ready_within: float = READY_WITHIN) -> None:
        super().start(ready_within)


@dataclass
class TwiceWorld(World):
    """`services` holds one instance of each service (the one a fault is aimed at: the chaos
    faults kill `services[name]`), `others` the second one."""

    cluster: KafkaCluster = field(default_factory=KafkaCluster)
    others: dict[str, ServiceProcess] = field(default_factory=dict)

    @property
    def processes(self) -> list[ServiceProcess]:
        return [*self.services.values(), *self.others.values()]

    def instances(self, name: str) -> list[ServiceProcess]:
        return [self.services[name], self.others[name]]

    def aim_at(self, name: str, process: ServiceProcess) -> None:
        """Makes `process` the instance of `name` that the next fault hits."""
        pair = self.instances(name)
        self.services[name] = process
        self.others[name] = next(p for p in pair if p is not process)


class Alternating(dict[str, str]):
    """Service name -> URL, answering each instance's URL in turn: the load's client (chaos_client)
    looks a URL up on every attempt, so its requests, and its retries, spread over both."""

    def __init__(self, world: TwiceWorld) -> None:
        super().__init__({name: world.services[name].url for name in SERVICES})
        self._turns = {name: itertools.cycle(world.instances(name)) for name in SERVICES}

    def __getitem__(self, name: str) -> str:
        return next(self._turns[name]).url


async def leads(process: ServiceProcess) -> bool:
    """Whether this instance's outbox relay holds its database's leader lock (/health/details)."""
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            details = (await client.get(f"{process.url}/health/details")).json()
    except (httpx.TransportError, ValueError):
        return False
    return bool(details["relay"]["leader"])


@asynccontextmanager
async def twice_world(logs: Path) -> AsyncIterator[TwiceWorld]:
    postgres, cluster, smtp = PostgresServer(), KafkaCluster(), SmtpServer()
    sets: list[dict[str, ServiceProcess]] = []
    try:
        smtp.start()
        await asyncio.gather(asyncio.to_thread(postgres.start), cluster.start())
        databases = await _create_databases(postgres)
        for n in (1, 2):
            folder = logs / f"instance-{n}"
            folder.mkdir(parents=True, exist_ok=True)
            made = _processes(folder, cluster, smtp, databases)
            for process in made.values():
                process.env |= INSTANCE_SETTINGS | {"LOG_INSTANCE": f"{process.name}-{n}"}
            sets.append({name: PatientProcess(p.name, p.env, p.log) for name, p in made.items()})
        # The first of each alone (two services creating the same topics at once would race on
        # the broker), then the second instances together: they find the topics made.
        for process in sets[0].values():
            await asyncio.to_thread(process.start)
        await asyncio.gather(*(asyncio.to_thread(p.start) for p in sets[1].values()))
        yield TwiceWorld(postgres, cluster, smtp, sets[0], databases, cluster=cluster, others=sets[1])
    finally:
        for made in sets:
            for process in made.values():
                await asyncio.to_thread(process.stop)
        await cluster.stop()
        with contextlib.suppress(subprocess.CalledProcessError):  # it may never have started
            await asyncio.to_thread(postgres.stop)
        smtp.stop()

"""Everything the chaos test breaks, owned by that test alone: a Postgres server, a Kafka broker,
an SMTP server and the three services as processes on them. stripe-mock is the test stack's
(it is never stopped). The shared test stack is not touched."""

import asyncio
import contextlib
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import asyncpg

from tests.support.kafka_server import KafkaServer
from tests.support.postgres_server import PostgresServer
from tests.support.services import SERVICES, ServiceProcess, service_process
from tests.support.smtp import SmtpServer, free_port
from tests.support.stack import stripe_api_base


class Kafka(Protocol):
    """What the counts and the faults need of Kafka: one broker (KafkaServer) or a cluster."""

    @property
    def bootstrap(self) -> str: ...
    async def start(self) -> None: ...
    async def stop(self) -> None: ...


@dataclass
class World:
    postgres: PostgresServer
    kafka: Kafka
    smtp: SmtpServer
    services: dict[str, ServiceProcess]
    databases: dict[str, str]

    @property
    def processes(self) -> list[ServiceProcess]:
        return list(self.services.values())


async def _create_databases(server: PostgresServer) -> dict[str, str]:
    admin = await asyncpg.connect(server.dsn)
    try:
        for name in SERVICES:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return {name: server.dsn.rsplit("/", 1)[0] + f"/{name}" for name in SERVICES}


def _processes(logs: Path, kafka: Kafka, smtp: SmtpServer, databases: dict[str, str]) -> dict[str, ServiceProcess]:
    ports = {name: free_port() for name in SERVICES}
    shared = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap,
        "CONSUMER_BACKOFF_SECONDS": "0.05",
        # The load comes from one client address: the per-client limits are not under test here.
        "RATE_LIMIT_PER_MINUTE": "1000000",
        **{f"{name.upper()}_PAGES_URL": f"http://127.0.0.1:{port}" for name, port in ports.items()},
    }
    per_service = {
        "membership": {"STRIPE_API_BASE": stripe_api_base()},
        "conference": {"STRIPE_API_BASE": stripe_api_base(), "UNPAID_SEATS_PER_CLIENT": "1000000"},
        "notifications": {
            "SMTP_PORT": str(smtp.port),
            "SEND_BACKOFF_SECONDS": "0.2",
            "SEND_MAX_ATTEMPTS": "50",
            # a killed instance's claimed emails go again after 15 s, not the default 2 minutes
            "SMTP_TIMEOUT_SECONDS": "5",
            "SEND_LEASE_SECONDS": "15",
        },
    }
    return {
        name: service_process(name, logs, port=ports[name], DATABASE_URL=databases[name], **shared, **per_service[name])
        for name in SERVICES
    }


@asynccontextmanager
async def chaos_world(logs: Path) -> AsyncIterator[World]:
    postgres, kafka, smtp = PostgresServer(), KafkaServer(), SmtpServer()
    processes: dict[str, ServiceProcess] = {}
    try:
        smtp.start()
        await asyncio.gather(asyncio.to_thread(postgres.start), kafka.start())
        databases = await _create_databases(postgres)
        processes = _processes(logs, kafka, smtp, databases)
        # One at a time: two services creating the same topics at once would race on the broker.
        for process in processes.values():
            await asyncio.to_thread(process.start)
        yield World(postgres, kafka, smtp, processes, databases)
    finally:
        for process in processes.values():
            await asyncio.to_thread(process.stop)
        await kafka.remove()
        with contextlib.suppress(subprocess.CalledProcessError):  # it may never have started
            await asyncio.to_thread(postgres.stop)
        smtp.stop()

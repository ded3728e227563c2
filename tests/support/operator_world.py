"""A Convene installation of a test's own for the operator command line's tests: the three
services as processes on databases the test names, a Kafka broker and an SMTP server of its own
(so consumer groups of the shared stack are never joined), stripe-mock from the test stack.
`convene-admin` runs as a process against it, with the settings an operator would give it."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from convene_service.staff import api_token
from tests.support.kafka_server import KafkaServer
from tests.support.services import ROOT, SERVICES, ServiceProcess, env_file, service_process
from tests.support.smtp import SmtpServer, free_port
from tests.support.stack import stripe_api_base
from tests.support.staff import OWNER_CREDENTIAL, OWNER_ID

SESSION_SECRET = env_file("membership")["SESSION_SECRET"]
TOKEN = api_token(SESSION_SECRET, OWNER_ID, OWNER_CREDENTIAL)  # the tests' owner, in every service


@dataclass
class Installation:
    kafka: KafkaServer
    smtp: SmtpServer
    logs: Path
    services: dict[str, ServiceProcess]

    def start(self, databases: dict[str, str]) -> None:
        """The three services on `databases`, one after the other (topics are created once)."""
        ports = {name: free_port() for name in SERVICES}
        shared = {
            "KAFKA_BOOTSTRAP_SERVERS": self.kafka.bootstrap,
            "CONSUMER_BACKOFF_SECONDS": "0.05",
            "STRIPE_API_BASE": stripe_api_base(),
            **{f"{name.upper()}_PAGES_URL": f"http://127.0.0.1:{port}" for name, port in ports.items()},
        }
        per_service = {
            # The dues calendar passes every second, so a backdated cheque is in grace or lapsed at once.
            "membership": {"SCHEDULER_INTERVAL_SECONDS": "1"},
            "conference": {},
            "notifications": {"SMTP_PORT": str(self.smtp.port), "SEND_RATE_PER_SECOND": "1000"},
        }
        for name in SERVICES:
            env = shared | per_service[name] | {"DATABASE_URL": databases[name]}
            self.services[name] = service_process(name, self.logs, port=ports[name], **env)
            self.services[name].start()

    def stop(self) -> None:
        for process in self.services.values():
            process.stop()

    def url(self, service: str) -> str:
        return self.services[service].url

    def admin(self, *args: str, databases: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """`convene-admin ARGS` as an operator runs it against this installation."""
        command = [sys.executable, "-m", "convene_operator", *args]
        return subprocess.run(
            command, env=self._env(databases), capture_output=True, text=True, timeout=300, check=False
        )

    def convene_demo(self) -> subprocess.CompletedProcess[str]:
        """`./convene demo`, the local stack's way, pointed at this installation's addresses."""
        env = os.environ | {key: value for key, value in self._env().items() if key.endswith("_URL")}
        env |= {"OPERATOR_API_TOKEN": TOKEN, "STRIPE_API_BASE": stripe_api_base()}
        return subprocess.run([str(ROOT / "convene"), "demo"], env=env, capture_output=True, text=True, timeout=300)

    def _env(self, databases: dict[str, str] | None = None) -> dict[str, str]:
        env = {
            "OPERATOR_API_TOKEN": TOKEN,
            "STRIPE_API_BASE": stripe_api_base(),
            "MEMBERSHIP_STRIPE_WEBHOOK_SECRET": env_file("membership")["STRIPE_WEBHOOK_SECRET"],
            "CONFERENCE_STRIPE_WEBHOOK_SECRET": env_file("conference")["STRIPE_WEBHOOK_SECRET"],
            **{f"{name.upper()}_API_URL": process.url for name, process in self.services.items()},
            **{f"{name.upper()}_DATABASE_URL": dsn for name, dsn in (databases or {}).items()},
        }
        # PostgreSQL's tools: the test stack's (PG_BIN, docs/operations.md).
        return env | {"PATH": os.environ.get("PATH", ""), "PG_BIN": os.environ.get("CONVENE_TEST_PG_BIN", "")}

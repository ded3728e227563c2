"""Runs Convene's services as real processes against the test stack, as `./convene up` would."""

import asyncio
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.smtp import free_port
from tests.support.staff import bearer, seed_staff

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("membership", "conference", "notifications")
# The bootstrap operator token (its SHA-256 is OPERATOR_TOKEN_SHA256 in deploy/env): it only
# creates the first owner. Every service started here knows the tests' owner (tests.support.staff),
# whose API token OPERATOR carries, signed with deploy/env's SESSION_SECRET.
OPERATOR_TOKEN = "local-operator-token-change-me"


def env_file(service: str) -> dict[str, str]:
    """The local stack's settings for `service`: the same file `./convene up` uses."""
    values = {}
    for line in (ROOT / "deploy" / "env" / f"{service}.env").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip().strip('"')
    return values


OPERATOR = bearer(env_file("membership")["SESSION_SECRET"])


def _seed_owner(dsn: str) -> None:
    # On a thread of its own: start() is called from inside running event loops too.
    worker = threading.Thread(target=asyncio.run, args=(seed_staff(dsn),))
    worker.start()
    worker.join()


@dataclass
class ServiceProcess:
    name: str
    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.env['HTTP_PORT']}"

    def start(self, ready_within: float = 60) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", self.name, "serve"], env=os.environ | self.env, stdout=log, stderr=log
            )
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    _seed_owner(self.env["DATABASE_URL"])
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready within {ready_within}s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def service_process(name: str, log_dir: Path, port: int | None = None, **overrides: str) -> ServiceProcess:
    env = env_file(name) | {"HTTP_PORT": str(port or free_port())} | overrides
    return ServiceProcess(name, env, log_dir / f"{name}.log")


@dataclass
class Stack:
    """The three services as processes (tests/conftest.py's `stack`), and their databases."""

    membership: ServiceProcess
    conference: ServiceProcess
    notifications: ServiceProcess
    databases: dict[str, str]

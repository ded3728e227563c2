"""`docker compose` against the test's own Docker daemon (deploy/local/containers.sh): the real
docker-compose.yml plus tests/compose/host-network.yml, on loopback ports of this run's own."""

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.stack import stack_setting

ROOT = Path(__file__).resolve().parents[2]
OVERRIDE = ROOT / "tests" / "compose" / "host-network.yml"
# A first run on a fresh machine installs Docker, builds Compose and Mailpit with Go and a Debian
# base with mmdebstrap, all in the background while the rest of the suite runs.
PREPARE_SECONDS = float(os.environ.get("CONVENE_TEST_COMPOSE_PREPARE_SECONDS", "2700"))
UP_SECONDS = int(os.environ.get("CONVENE_TEST_COMPOSE_UP_SECONDS", "900"))  # builds the three images


def ports() -> dict[str, str]:
    """The override's ports: above every other band the test stacks use, shifted per work tree."""
    base = 21000 + int(os.environ.get("CONVENE_PORT_OFFSET", "0"))
    offsets = {
        "KAFKA": 92, "KAFKA_CONTROLLER": 93, "POSTGRES": 432, "STRIPE": 111, "STRIPE_HTTPS": 112,
        "SMTP": 25, "MAILPIT": 26, "MEMBERSHIP": 1, "CONFERENCE": 2, "NOTIFICATIONS": 3, "PROXY": 80,
    }  # fmt: skip
    return {f"CONVENE_COMPOSE_{name}_PORT": str(base + n) for name, n in offsets.items()}


def wait_for_containers() -> None:
    """Until the background preparation wrote its marker; fails at once if it failed."""
    ready, log = (
        Path(stack_setting("CONVENE_TEST_CONTAINERS_READY")),
        Path(stack_setting("CONVENE_TEST_CONTAINERS_LOG")),
    )
    deadline = time.monotonic() + PREPARE_SECONDS
    while not ready.exists():
        text = log.read_text(errors="replace") if log.exists() else ""
        if "[convene] error:" in text or time.monotonic() > deadline:
            pytest.fail(
                f"Docker, Compose or the stand-in images are not ready (budget {PREPARE_SECONDS:.0f}s):\n{text[-3000:]}"
            )
        time.sleep(2)


@dataclass
class Compose:
    project: str
    env_file: Path

    @property
    def env(self) -> dict[str, str]:
        docker = {"DOCKER_HOST": stack_setting("CONVENE_TEST_DOCKER_HOST"),
                  "DOCKER_CONFIG": stack_setting("CONVENE_TEST_DOCKER_CONFIG")}  # fmt: skip
        return os.environ | docker | ports()

    def run(self, *args: str, override: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        files = ["-f", str(ROOT / "docker-compose.yml")] + (["-f", str(OVERRIDE)] if override else [])
        command = ["docker", "compose", "-p", self.project, "--env-file", str(self.env_file), *files, *args]
        return subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout)

    def docker(self, *args: str) -> str:
        done = subprocess.run(["docker", *args], env=self.env, capture_output=True, text=True, timeout=60, check=True)
        return done.stdout

    def left_behind(self) -> dict[str, str]:
        """The project's containers, volumes and networks still there (none after `down -v`)."""
        label = f"label=com.docker.compose.project={self.project}"
        found = {
            "containers": self.docker("ps", "-aq", "--filter", label),
            "volumes": self.docker("volume", "ls", "-q", "--filter", label),
            "networks": self.docker("network", "ls", "-q", "--filter", label),
        }
        return {kind: ids.strip() for kind, ids in found.items() if ids.strip()}

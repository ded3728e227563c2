"""The three-broker Kafka cluster of deploy/local/kafka_cluster.sh, for the one test that runs
every service twice and kills a broker: started through the stack script (same jars, same
settings as `./convene kafka-cluster start`), stopped by it, and never left running for the
rest of the suite."""

import asyncio
import os
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "local" / "stack.sh"


def _script(action: str) -> str:
    # MODE=test: the test stack's state and ports (CONVENE_PORT_OFFSET is inherited), from empty storage.
    done = subprocess.run(
        ["bash", str(SCRIPT), "kafka-cluster", action],
        env=os.environ | {"MODE": "test"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"kafka-cluster {action} failed:\n{done.stderr[-3000:]}")
    return done.stdout


@dataclass
class KafkaCluster:
    bootstrap: str = ""
    pids: dict[int, int] = field(default_factory=dict)  # node id -> its process
    killed: list[int] = field(default_factory=list)

    async def start(self) -> None:
        for line in (await asyncio.to_thread(_script, "start")).splitlines():
            if line.startswith("bootstrap="):
                self.bootstrap = line.removeprefix("bootstrap=")
            elif line.startswith("node="):
                parts = dict(part.split("=") for part in line.split())
                self.pids[int(parts["node"])] = int(parts["pid"])
        if not self.bootstrap or len(self.pids) != 3:
            raise RuntimeError("kafka-cluster start did not report three nodes")

    async def stop(self) -> None:
        await asyncio.to_thread(_script, "stop")

    def kill(self, node: int) -> None:
        """kill -9 one broker: no controlled shutdown, its leaderships move by failure detection."""
        os.kill(self.pids[node], signal.SIGKILL)
        self.killed.append(node)

    async def brokers(self) -> list[int]:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:
            return sorted(b["node_id"] for b in (await admin.describe_cluster())["brokers"])
        finally:
            await admin.close()

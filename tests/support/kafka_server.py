"""A Kafka broker of a test's own, for tests that stop the broker itself: the shared test stack's
broker stays up for every other test.

It is the local stack's broker (deploy/local/kafka.sh): Kafka 4.1.1 from the jars the stack
script caches, a KRaft single node (combined broker and controller) formatted with
`StorageTool format --standalone`, on free ports, with its data in a folder of its own. Ready
means a metadata request succeeded, as deploy/local/wait_for_kafka.py waits for.
"""

import asyncio
import logging
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient

from tests.support.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
LIBS = ROOT / ".local" / "cache" / "kafka-4.1.1" / "libs"

PROPERTIES = """\
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:{controller}
listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller}
advertised.listeners=PLAINTEXT://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs={data}
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
"""


async def answers_metadata(bootstrap: str) -> bool:
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # refusals are expected while it starts
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=3000)
    try:
        await admin.start()
        await admin.list_topics()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not ready yet"
        return False
    finally:
        await admin.close()


class KafkaServer:
    def __init__(self) -> None:
        if not LIBS.is_dir():
            raise RuntimeError(f"no Kafka jars in {LIBS}: ./convene test downloads them")
        self.port, self.controller = free_port(), free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="convene-kafka-"))
        self.config = self.folder / "server.properties"
        self.config.write_text(PROPERTIES.format(port=self.port, controller=self.controller, data=self.folder / "data"))
        self.log = self.folder / "kafka.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _java(self, main: str, *args: str) -> list[str]:
        return [
            "java",
            "-Xms256m",
            "-Xmx512m",
            "-XX:+UseG1GC",
            f"-Dlog4j2.configurationFile={ROOT / 'deploy' / 'local' / 'kafka' / 'log4j2.properties'}",
            f"-Dkafka.logs.dir={self.folder}",
            "-cp",
            f"{LIBS}/*",
            main,
            *args,
        ]

    def _format(self) -> None:
        tool = "kafka.tools.StorageTool"
        made = subprocess.run(self._java(tool, "random-uuid"), check=True, capture_output=True, text=True)
        cluster_id = made.stdout.strip().splitlines()[-1]
        command = self._java(tool, "format", "--standalone", "-t", cluster_id, "-c", str(self.config))
        subprocess.run(command, check=True, capture_output=True)

    def _spawn(self) -> subprocess.Popen[bytes]:
        with self.log.open("ab") as log:
            return subprocess.Popen(self._java("kafka.Kafka", str(self.config)), stdout=log, stderr=log)

    async def start(self, ready_within: float = 90) -> None:
        """Starts the broker (formatting its storage the first time) and waits until it answers."""
        if not (self.folder / "data" / "meta.properties").exists():
            await asyncio.to_thread(self._format)
        self.process = self._spawn()
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Kafka exited with {self.process.returncode}:\n{self.log.read_text()[-3000:]}")
            if await answers_metadata(self.bootstrap):
                return
            await asyncio.sleep(0.5)
        raise RuntimeError(f"Kafka not ready within {ready_within}s:\n{self.log.read_text()[-3000:]}")

    async def stop(self) -> None:
        """Stops the broker as an operator would (SIGTERM: a controlled shutdown); data is kept."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(process.wait, 60)
        except subprocess.TimeoutExpired:
            process.kill()
            await asyncio.to_thread(process.wait)

    async def remove(self) -> None:
        await self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

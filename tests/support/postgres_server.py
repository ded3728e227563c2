"""A PostgreSQL server of a test's own (initdb into a folder of its own), for tests that stop or
restart the server itself: the shared test cluster stays up for every other test."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.smtp import free_port
from tests.support.stack import stack_setting


def _as_owner(*command: str) -> list[str]:
    # The server refuses to run as root; as root, run it as the unprivileged 'postgres' user.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


class PostgresServer:
    def __init__(self) -> None:
        self.bin = Path(stack_setting("CONVENE_TEST_PG_BIN"))
        self.port = free_port()
        # Under /tmp (every user can enter it), so that the 'postgres' user reaches its own files.
        self.folder = Path(tempfile.mkdtemp(prefix="convene-pg-", dir="/tmp"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.data = self.folder / "data"

    @property
    def dsn(self) -> str:
        return f"postgresql://convene@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        # The server's own output goes to its log (-l), never to pipes of ours that it would keep open.
        log = ["-l", str(self.folder / "server.log")] if args[-1] in ("start", "restart") else []
        command = _as_owner(str(self.bin / "pg_ctl"), "-D", str(self.data), *log, *args)
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self) -> None:
        if not (self.data / "PG_VERSION").exists():
            initdb = [str(self.bin / "initdb"), "-D", str(self.data), "-U", "convene", "--auth=trust", "--no-locale"]
            subprocess.run(_as_owner(*initdb), check=True, capture_output=True)
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-w", "-t", "60", "-o", options, "start")

    def restart(self) -> None:
        """A fast restart, as an operator's `systemctl restart postgresql` does: open sessions are
        ended (AdminShutdown), new ones refused while it starts (CannotConnectNow)."""
        self._ctl("-m", "fast", "-w", "-t", "60", "restart")

    def stop(self) -> None:
        self._ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

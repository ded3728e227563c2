"""Where the local stack (./convene up) listens, and small helpers to talk to it."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from tests.support import services
from tests.support.services import ServiceProcess, env_file

ROOT = Path(__file__).resolve().parents[1]
OPERATOR = services.OPERATOR  # the tests' owner, whom ServiceProcess.start writes into each database
POSTGRES = "postgresql://convene@127.0.0.1:5433"
KAFKA = "127.0.0.1:9092"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def url(service: str) -> str:
    return f"http://127.0.0.1:{env_file(service)['HTTP_PORT']}"


def service_pid(service: str) -> int:
    return int((ROOT / ".local" / "dev" / "pids" / f"{service}.pid").read_text())


def rss_mb(pid: int) -> float:
    """Resident memory of a service: its process and, with HTTP_WORKERS > 1, its workers."""
    total = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += int(line.split()[1]) / 1024
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            total += rss_mb(int(child))
    return total


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) a service has used so far: its process and its workers. Unlike
    wall time it hardly moves when other work shares the machine, so costs per request compare."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            total += cpu_seconds(int(child))
    return total


def stop_service(service: str) -> None:
    old = service_pid(service)
    subprocess.run(["kill", str(old)], check=False, stderr=subprocess.DEVNULL)  # noqa: S603, S607
    while _alive(old):  # it answers until it has stopped: wait, or the port is taken
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    """Running, and not a zombie (a service this process started stays one until reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def restart_service(service: str, **overrides: str) -> None:
    """Restarts one service of the local stack with changed settings (e.g. a higher rate limit,
    since every benchmark request comes from one address)."""
    pid_file = ROOT / ".local" / "dev" / "pids" / f"{service}.pid"
    stop_service(service)
    port = int(env_file(service)["HTTP_PORT"])
    # A process the pid file does not name would answer the new one's readiness check and be
    # measured in its place: refuse rather than time the wrong process.
    if _listening(port):
        raise RuntimeError(f"{service} stopped, but something still listens on port {port}: stop it first")
    process = ServiceProcess(
        service, env_file(service) | overrides, ROOT / ".local" / "dev" / "logs" / f"{service}.log"
    )
    process.start(ready_within=180)  # waits for /readyz (slowly on a busy machine), fails early if it exits
    assert process.process is not None
    pid_file.write_text(str(process.process.pid))


SINK_PORT = 2525
SINK_DIR = ROOT / ".local" / "dev" / "bench-sink"


def start_smtp_sink() -> tuple[subprocess.Popen[bytes], Path]:
    """Postfix's smtp-sink, a receiver far faster than any sender here: the SMTP server is outside
    the system under test, and the stack's own mailbox (aiosmtpd writing a Maildir) is not."""
    shutil.rmtree(SINK_DIR, ignore_errors=True)
    SINK_DIR.mkdir(parents=True)
    SINK_DIR.chmod(0o777)  # smtp-sink drops to nobody before it writes the dump
    dump = SINK_DIR / "dump"
    sink = subprocess.Popen(  # noqa: S603
        ["/usr/sbin/smtp-sink", "-u", "nobody", "-D", str(dump), f"127.0.0.1:{SINK_PORT}", "1024"],
        stdout=subprocess.DEVNULL,
    )
    return sink, dump


async def nothing_pending() -> bool:
    """No email owed and not yet sent: what a timed scenario waits for, so that it times only its own."""
    conn = await asyncpg.connect(f"{POSTGRES}/notifications")
    try:
        pending: int = await conn.fetchval("SELECT count(*) FROM deliveries WHERE status = 'pending'")
        return pending == 0
    finally:
        await conn.close()


def settings_from_environment(prefix: str) -> dict[str, str]:
    """A service's settings for one benchmark run, from variables such as
    BENCH_CONFERENCE_HTTP_WORKERS=2 (prefix BENCH_CONFERENCE_): {"HTTP_WORKERS": "2"}."""
    return {k.removeprefix(prefix): v for k, v in os.environ.items() if k.startswith(prefix)}


def post(service: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = httpx.post(f"{url(service)}{path}", json=body, headers=OPERATOR, timeout=30)
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result

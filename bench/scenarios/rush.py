"""B1 (registration rush), B2 (beside Postgres' one-contended-row limit) and B6 (footprint).

B1: 5,000 people race for 1,000 paid seats through the public HTTP API, driven by wrk (a
separate process, far faster than the service). B2: right after, pgbench bumps one contended
counter row from 32 clients on the same server; the ratio says whether the service sells faster
than one row can. B6: each service's RSS before, and the conference's peak during, the rush.
"""

import asyncio
import os
import re
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from bench.stack import (
    PG_BIN,
    POSTGRES,
    SINK_PORT,
    cpu_seconds,
    post,
    restart_service,
    rss_mb,
    service_pid,
    settings_from_environment,
    start_smtp_sink,
)
from tests.support.waiting import wait_until

SEATS, PEOPLE, CONNECTIONS, THREADS = 1000, 5000, 64, 2
LUA = Path(__file__).with_name("rush.lua")


def prepare() -> None:
    """Every request comes from one address: lift the per-client limits (requests a minute, unpaid
    seats held at once) for the run. Each hold has an email of its own, so the per-email cap stays."""
    overrides = settings_from_environment("BENCH_CONFERENCE_")  # e.g. BENCH_CONFERENCE_HTTP_WORKERS=2
    restart_service(
        "conference",
        RATE_LIMIT_PER_MINUTE="100000000",
        UNPAID_SEATS_PER_CLIENT="100000000",
        LOG_LEVEL="WARNING",
        **overrides,
    )


def conference_with_seats(seats: int) -> tuple[str, str]:
    """An open conference with one paid ticket type of `seats` seats: (conference id, ticket type id)."""
    now = datetime.now(UTC)
    conference = post(
        "conference",
        "/conferences",
        {
            "name": f"Rush {uuid4().hex[:6]}",
            "time_zone": "UTC",
            "starts_on": "2027-08-16",
            "ends_on": "2027-08-19",
            "registration_opens_at": (now - timedelta(days=1)).isoformat(),
            "registration_closes_at": (now + timedelta(days=30)).isoformat(),
            "currency": "usd",
        },
    )
    ticket = post(
        "conference",
        f"/conferences/{conference['id']}/ticket-types",
        {
            "name": "Full conference",
            "capacity": seats,
            "member_price_minor": 30000,
            "non_member_price_minor": 45000,
        },
    )
    return str(conference["id"]), str(ticket["id"])


def _sample_rss(pid: int, stop: threading.Event, peak: list[float]) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], rss_mb(pid))
        time.sleep(0.1)


def run_b1(base_url: str) -> dict[str, float]:
    """Each hold's "complete your registration" email goes out during the rush, as it would: into
    smtp-sink, since the receiver is not part of what is measured (the stack's send cap stays)."""
    sink, _ = start_smtp_sink()
    try:
        restart_service("notifications", SMTP_PORT=str(SINK_PORT))
        return _rush(base_url)
    finally:
        sink.terminate()
        sink.wait()
        restart_service("notifications")  # back to the stack's own settings and mailbox


def _rush(base_url: str) -> dict[str, float]:
    conference_id, ticket_id = conference_with_seats(SEATS)
    env = os.environ | {
        "RUSH_CONFERENCE": conference_id,
        "RUSH_TICKET": ticket_id,
        "RUSH_REQUESTS": str(PEOPLE),
        "RUSH_THREADS": str(THREADS),
    }
    idle = {s: rss_mb(service_pid(s)) for s in ("membership", "conference", "notifications")}
    stop, peak = threading.Event(), [0.0]
    sampler = threading.Thread(target=_sample_rss, args=(service_pid("conference"), stop, peak))
    sampler.start()
    cpu_before = cpu_seconds(service_pid("conference"))
    out = subprocess.run(  # noqa: S603
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", "-d40s", "--latency", "-s", str(LUA), base_url],  # noqa: S607
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = cpu_seconds(service_pid("conference")) - cpu_before
    stop.set()
    sampler.join()
    found = re.search(
        r"RESULT created=(\d+) sold_out=(\d+) other=(\d+) duration_us=(\d+) p50_us=(\d+) p99_us=(\d+)", out
    )
    if found is None:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    created, sold_out, other, _duration, p50, p99 = (int(g) for g in found.groups())
    sold, window = asyncio.run(_sold(conference_id, ticket_id))
    try:
        asyncio.run(_end_holds(conference_id))
    except TimeoutError:  # cleaning up, not measuring: a busy machine's sweeper is slow to get there
        print("B1: the rush's holds were not all released within 120 s; the next run may see their emails")
    return {
        "b1_holds_per_second": sold / window,
        "b1_p50_ms": p50 / 1000,
        "b1_p99_ms": p99 / 1000,
        "b1_seats_sold": sold,
        "b1_holds_answered": created,
        "b1_errors_other_than_sold_out": other,
        # What one answer (hold or sold out) costs the conference service in CPU: the figure to
        # compare settings by (tracing on and off) on a machine that is not quiet.
        "b1_conference_cpu_ms_per_answer": 1000 * cpu / max(created + sold_out + other, 1),
        **{f"b6_{s}_idle_rss_mb": v for s, v in idle.items()},
        "b6_conference_peak_rss_mb": peak[0],
    }


async def _end_holds(conference_id: str) -> None:
    """Nobody pays for the rush's holds: they end now, and their "hold expired" emails go out
    before the next scenario, not in the middle of one a quarter of an hour later (B3)."""
    conn = await asyncpg.connect(f"{POSTGRES}/conference")
    try:
        await conn.execute(
            "UPDATE registrations SET hold_expires_at = now() WHERE conference_id = $1 AND status = 'held'",
            UUID(conference_id),
        )

        async def released() -> bool:
            held: int = await conn.fetchval(
                "SELECT count(*) FROM registrations WHERE conference_id = $1 AND status = 'held'", UUID(conference_id)
            )
            return held == 0

        await wait_until(released, seconds=120)  # the hold sweeper's next passes
    finally:
        await conn.close()


async def _sold(conference_id: str, ticket_id: str) -> tuple[int, float]:
    """Seats taken, and the seconds from the first hold to the last. wrk's own duration is its
    -d setting whatever the threads do, so the rate comes from the holds' timestamps."""
    conn = await asyncpg.connect(f"{POSTGRES}/conference")
    try:
        taken: int = await conn.fetchval("SELECT sum(taken) FROM capacity_shards WHERE pool_id = $1", UUID(ticket_id))
        window: float = await conn.fetchval(
            "SELECT extract(epoch FROM max(created_at) - min(created_at)) FROM registrations WHERE conference_id = $1",
            UUID(conference_id),
        )
        return taken, float(window)
    finally:
        await conn.close()


def run_b2() -> dict[str, float]:
    """pgbench: one contended row, 32 clients, 8 seconds, on the same server."""
    asyncio.run(_counter())
    script = Path("/tmp/convene-bench-counter.sql")  # noqa: S108 - scratch input for pgbench
    script.write_text("UPDATE counter SET sold = sold + 1 WHERE id = 1 AND sold + 1 <= cap;\n")
    out = subprocess.run(  # noqa: S603
        [
            str(PG_BIN / "pgbench"),
            "-h",
            "127.0.0.1",
            "-p",
            "5433",
            "-U",
            "convene",
            "-n",
            "-c",
            "32",
            "-j",
            "2",
            "-T",
            "8",
            "-f",
            str(script),
            "bench",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tps = re.search(r"tps = ([\d.]+)", out)
    if tps is None:
        raise RuntimeError(f"pgbench printed no tps:\n{out}")
    return {"b2_pgbench_one_row_tps": float(tps.group(1))}


async def _counter() -> None:
    admin = await asyncpg.connect(f"{POSTGRES}/postgres")
    try:
        if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = 'bench'"):
            await admin.execute("CREATE DATABASE bench")
    finally:
        await admin.close()
    conn = await asyncpg.connect(f"{POSTGRES}/bench")
    try:
        await conn.execute("CREATE TABLE IF NOT EXISTS counter (id int PRIMARY KEY, sold bigint, cap bigint)")
        await conn.execute("INSERT INTO counter VALUES (1, 0, 1000000000000) ON CONFLICT (id) DO UPDATE SET sold = 0")
    finally:
        await conn.close()


def run(base_url: str) -> dict[str, Any]:
    figures: dict[str, Any] = run_b1(base_url)
    figures |= run_b2()
    figures["b2_ratio"] = figures["b1_holds_per_second"] / figures["b2_pgbench_one_row_tps"]
    return figures

"""Chaos, counted (reliability property 23): under a mixed load, kill -9 each service and start it
again, stop Kafka for 30 s, restart Postgres; then count, from the databases, the SMTP server's
mailbox and the broker, everything that was lost, duplicated or answered wrongly. Every count
must be 0.

The test owns every server it stops (its own Postgres, Kafka broker and SMTP server); only
stripe-mock is the test stack's. `CONVENE_CHAOS_SECONDS` lengthens the calm load after the last
fault, `CONVENE_CHAOS_KAFKA_PAUSE_SECONDS` the Kafka outage (30 s)."""

import asyncio
import os
from pathlib import Path

import pytest

from tests.support.chaos_client import Client
from tests.support.chaos_counts import count, duplicates, settled
from tests.support.chaos_faults import Faults
from tests.support.chaos_load import Load
from tests.support.chaos_world import chaos_world

CALM_AFTER = float(os.environ.get("CONVENE_CHAOS_SECONDS", "5"))
CALM_BETWEEN = 3.0  # seconds of load outside any fault window, between two faults
WORKERS = 4  # half of them members joining, half attendees registering
MOST_FLOWS = 400  # per worker: the load is bounded in count as well as in time
PACE = 0.3  # seconds between one worker's flows, to keep the 2-core machine able to serve
# The first ticket type sells out during the load; the second never does.
CAPACITIES = [15, 10_000]


@pytest.mark.timeout(600)
async def test_faults_under_load_lose_nothing_and_duplicate_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with chaos_world(tmp_path) as world:
        client = Client({name: process.url for name, process in world.services.items()})
        secrets = {name: world.services[name].env["STRIPE_WEBHOOK_SECRET"] for name in ("membership", "conference")}
        load, faults = Load(client, secrets), Faults(world)
        try:
            await load.set_up(CAPACITIES)
            stop = asyncio.Event()
            workers = [asyncio.create_task(load.run(w, stop, MOST_FLOWS, PACE)) for w in range(WORKERS)]
            try:
                await faults.inflict_all(calm=CALM_BETWEEN)
                await asyncio.sleep(CALM_AFTER)
            finally:
                stop.set()
                await asyncio.gather(*workers)
            calm = await settled(world)
            counts = await count(load, faults, world.smtp.mailbox)
            copies = duplicates(world.smtp.mailbox)
        finally:
            await client.close()
    with capsys.disabled():  # the run's output shows the counts, passed or failed
        print(f"\nchaos: settled: {calm}")
        print("chaos: load:", load.totals(), "emails:", len(world.smtp.mailbox.messages))
        print("chaos: answers:", client.totals())
        for w in faults.windows:
            print(f"chaos: {w.fault}: {w.end - w.start:.1f}s until every service was ready again")
        for what in load.unexpected[:10]:
            print("chaos: unexpected answer:", what)
        for what in copies[:10]:
            print("chaos: duplicate:", what)
        for name, value in counts.items():
            print(f"chaos: {name}: {value}")
    assert counts == dict.fromkeys(counts, 0)

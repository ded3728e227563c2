"""B8: importing 10,000 Wild Apricot rows (M12), end to end: the upload's dry run, the start, the
import job's batches, and every event the import wrote published to Kafka. Target under 60 s.

Membership runs in the benchmark's process (as the tests run it) on a scratch database of the
stack's Postgres, so the figure is the import's alone. B8_ROWS changes the row count; B8_POSTGRES,
B8_KAFKA and B8_STRIPE point it at another stack (a test stack's addresses)."""

import asyncio
import hashlib
import os
import time
from typing import Any
from uuid import uuid4

import asyncpg

from bench.stack import KAFKA, POSTGRES
from membership.bootstrap import SPEC
from membership.config import MembershipSettings
from tests.support.apps import running_app
from tests.support.staff import bearer
from tests.support.waiting import wait_until
from tests.support.wild_apricot import export, many

ROWS = int(os.environ.get("B8_ROWS", "10000"))
BUDGET = float(os.environ.get("B8_BUDGET_SECONDS", "600"))  # a run given up after this long
SECRET = "bench-session-secret-0123456789-0123456789"  # noqa: S105 - a scratch database's, like the tests'


def _settings(dsn: str) -> MembershipSettings:
    return MembershipSettings(
        database_url=dsn,
        kafka_bootstrap_servers=os.environ.get("B8_KAFKA", KAFKA),
        operator_token_sha256=hashlib.sha256(b"bench").hexdigest(),
        stripe_secret_key="sk_test_bench",  # noqa: S106 - stripe-mock takes any test key
        stripe_webhook_secret="whsec_bench",  # noqa: S106
        stripe_api_base=os.environ.get("B8_STRIPE", "http://127.0.0.1:12111"),
        session_secret=SECRET,
        membership_pages_url="https://members.bench.example",
        import_poll_seconds=0.1,
        outbox_poll_seconds=0.2,
        rate_limit_per_minute=100_000_000,
    )


async def _run() -> dict[str, Any]:
    postgres = os.environ.get("B8_POSTGRES", POSTGRES)
    database = f"bench_import_{uuid4().hex[:8]}"
    admin = await asyncpg.connect(f"{postgres}/postgres")
    await admin.execute(f'CREATE DATABASE "{database}"')
    data = export(many(ROWS, f"{uuid4().hex[:6]}.bench.example"))
    try:
        async with running_app(SPEC, _settings(f"{postgres}/{database}")) as (client, runtime):
            headers = bearer(SECRET)  # the owner running_app seeds
            for level in ({"name": "Individual"}, {"name": "Agency", "kind": "organizational", "seat_count": 10}):
                body = {"price_minor": 7500, "currency": "usd", "term": "annual"} | level
                assert (await client.post("/levels", json=body, headers=headers)).status_code == 201
            started = time.perf_counter()
            checked = await client.post("/imports", content=data, params={"file_name": "b8.csv"}, headers=headers)
            assert checked.status_code == 201, checked.text
            dry_run = time.perf_counter() - started
            import_id = checked.json()["id"]
            answer = await client.post(f"/imports/{import_id}/start", json={}, headers=headers)
            assert answer.status_code == 202, answer.text

            async def imported() -> bool:
                progress = await client.get(f"/imports/{import_id}", headers=headers)
                return bool(progress.json()["status"] == "done")

            async def published() -> bool:
                return not await runtime.pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")

            await wait_until(imported, seconds=BUDGET)
            await wait_until(published, seconds=BUDGET)
            seconds = time.perf_counter() - started
            members = await runtime.pool.fetchval("SELECT count(*) FROM memberships")
            events = await runtime.pool.fetchval("SELECT count(*) FROM outbox")
        return {
            "b8_import_seconds": seconds,
            "b8_dry_run_seconds": dry_run,
            "b8_rows_per_second": ROWS / seconds,
            "b8_memberships": members,
            "b8_events": events,
        }
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()


def run() -> dict[str, Any]:
    return asyncio.run(_run())

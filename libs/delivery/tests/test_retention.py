"""Retention of the delivery tables on a real Postgres: published outbox rows and inbox rows older
than their periods go, recent and unpublished ones stay, and two pruners at once delete each old
row once and never a recent one."""

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import asyncpg
import pytest

from convene_delivery.retention import DELIVERY_RULES, Pruner, RetentionRule, UnknownRetentionSetting, periods


@dataclass(frozen=True)
class Periods:
    outbox_retention_days: float = 7
    inbox_retention_days: float = 30


def pruner(pool: asyncpg.Pool, batch_size: int = 1000) -> Pruner:
    return Pruner(pool, periods(DELIVERY_RULES, Periods()), batch_size=batch_size)


async def add_outbox_rows(pool: asyncpg.Pool, count: int, *, published_days_ago: float | None, note: str) -> None:
    """`count` rows written 100 days ago, published `published_days_ago` (None: not yet)."""
    await pool.execute(
        """INSERT INTO outbox (event_id, event_type, topic, message_key, body, created_at, published_at)
           SELECT gen_random_uuid(), $2, 't', 'k', '{}', now() - interval '100 days',
                  now() - make_interval(secs => $3::float8 * 86400)
           FROM generate_series(1, $1)""",
        count,
        note,
        published_days_ago,
    )


async def add_inbox_rows(pool: asyncpg.Pool, count: int, *, days_ago: float, consumer: str) -> None:
    await pool.execute(
        """INSERT INTO inbox (consumer, event_id, event_type, processed_at)
           SELECT $2, gen_random_uuid(), 'x', now() - make_interval(secs => $3::float8 * 86400)
           FROM generate_series(1, $1)""",
        count,
        consumer,
        days_ago,
    )


async def counts(pool: asyncpg.Pool) -> dict[str, int]:
    rows = await pool.fetch(
        """SELECT event_type AS what, count(*) FROM outbox GROUP BY event_type
           UNION ALL SELECT consumer, count(*) FROM inbox GROUP BY consumer"""
    )
    return {row["what"]: row["count"] for row in rows}


async def test_old_rows_go_and_recent_or_unpublished_ones_stay(pool: asyncpg.Pool) -> None:
    await add_outbox_rows(pool, 5, published_days_ago=8, note="published-old")
    await add_outbox_rows(pool, 4, published_days_ago=6, note="published-recent")
    await add_outbox_rows(pool, 3, published_days_ago=None, note="unpublished")  # however old: never
    await add_inbox_rows(pool, 6, days_ago=31, consumer="inbox-old")
    await add_inbox_rows(pool, 2, days_ago=29, consumer="inbox-recent")

    pruned = await pruner(pool, batch_size=2).prune_once()  # several batches per rule

    assert pruned == {"outbox by published_at": 5, "inbox by processed_at": 6}
    assert await counts(pool) == {"published-recent": 4, "unpublished": 3, "inbox-recent": 2}
    assert await pruner(pool).prune_once() == {"outbox by published_at": 0, "inbox by processed_at": 0}


async def test_two_pruners_at_once_delete_each_old_row_once_and_no_recent_one(pool: asyncpg.Pool) -> None:
    await add_outbox_rows(pool, 3000, published_days_ago=10, note="old")
    await add_outbox_rows(pool, 500, published_days_ago=1, note="recent")
    recent = {r["event_id"] for r in await pool.fetch("SELECT event_id FROM outbox WHERE event_type = 'recent'")}

    first, second = await asyncio.gather(pruner(pool, batch_size=40).prune_once(), pruner(pool, 40).prune_once())

    # Each DELETE counts only the rows it removed: together exactly the old ones, none twice.
    assert first["outbox by published_at"] + second["outbox by published_at"] == 3000
    left = {r["event_id"] for r in await pool.fetch("SELECT event_id FROM outbox")}
    assert left == recent


async def test_a_batch_finds_its_rows_by_an_index_not_a_scan(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL enable_seqscan = off")  # a seq scan then shows only if no index fits
        for rule in DELIVERY_RULES:
            assert rule.statement is not None
            plan = "\n".join(r[0] for r in await conn.fetch(f"EXPLAIN {rule.statement}", timedelta(days=7), 1000))
            assert "Seq Scan" not in plan, f"{rule.what}:\n{plan}"


def test_a_rule_whose_period_the_settings_lack_stops_the_start() -> None:
    rule = RetentionRule.rows("stripe_events", "received_at", "stripe_events_retention_days")
    with pytest.raises(UnknownRetentionSetting, match="STRIPE_EVENTS_RETENTION_DAYS"):
        periods([*DELIVERY_RULES, rule], Periods())


def test_a_rule_names_only_plain_sql_names() -> None:
    with pytest.raises(ValueError, match="plain SQL name"):
        RetentionRule.rows("outbox; DROP TABLE inbox", "published_at", "outbox_retention_days")

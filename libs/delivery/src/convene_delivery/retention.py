"""Retention: nothing grows forever. Rows that have served their purpose (published outbox rows,
inbox rows, webhook ids, old email bodies) are pruned after a period each, a bounded batch at a
time, by one background task per process (the chassis runtime starts it).

Safe with several instances: each batch locks the rows it takes with FOR UPDATE SKIP LOCKED, so
two pruners take different rows, each row goes once, and neither waits for the other. Each batch
is its own short transaction, so no lock is held for long, and each finds its rows through an
index on the timestamp (docs/architecture.md, "Retention").

A rule is a plain DELETE of the rows whose timestamp column is older than the period
(`RetentionRule.rows`), or a service's own adapter function when a DELETE does not fit (clearing
email bodies but keeping the delivery log). Its period, in days, is the setting the rule names.
"""

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

import asyncpg

from convene_delivery.postgres import Connection

log = logging.getLogger(__name__)

# One batch: the connection of its transaction, the age rows must exceed, the most rows to take.
# Returns how many it pruned; fewer than the most means nothing older is left, for now.
Prune = Callable[[Connection, timedelta, int], Awaitable[int]]

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class RetentionRule:
    what: str  # what goes, for the logs: "outbox by published_at"
    period_setting: str  # the settings field holding the period, in days
    prune: Prune
    statement: str | None = None  # a plain DELETE's SQL ($1 the age, $2 the batch), for EXPLAIN in tests

    @classmethod
    def rows(cls, table: str, timestamp_column: str, period_setting: str) -> "RetentionRule":
        """Rows of `table` whose `timestamp_column` is older than the period are deleted (a NULL
        timestamp never is). The column needs an index, or each batch scans the table."""
        for name in (table, timestamp_column):
            if not _NAME.match(name):
                raise ValueError(f"not a plain SQL name: {name!r}")
        # The oldest first, through the index; SKIP LOCKED leaves another pruner's batch to it.
        statement = f"""DELETE FROM {table} WHERE ctid = ANY(ARRAY(
                SELECT ctid FROM {table} WHERE {timestamp_column} < now() - $1::interval
                ORDER BY {timestamp_column} LIMIT $2 FOR UPDATE SKIP LOCKED))"""  # noqa: S608 - checked names

        async def prune(conn: Connection, older_than: timedelta, limit: int) -> int:
            status: str = await conn.execute(statement, older_than, limit)
            return int(status.split()[-1])  # "DELETE <n>"

        return cls(f"{table} by {timestamp_column}", period_setting, prune, statement)


# The delivery tables every service has. Inbox rows must outlive any redelivery: see the settings.
DELIVERY_RULES = (
    RetentionRule.rows("outbox", "published_at", "outbox_retention_days"),
    RetentionRule.rows("inbox", "processed_at", "inbox_retention_days"),
)


class UnknownRetentionSetting(SystemExit):
    """A rule names a period its service's settings do not have: start-up stops, naming it."""


@dataclass(frozen=True)
class Pruning:
    rule: RetentionRule
    period: timedelta


def periods(rules: Sequence[RetentionRule], settings: object) -> list[Pruning]:
    """Each rule with its period read from the settings (days); refuses a setting that is missing."""
    found = []
    for rule in rules:
        days = getattr(settings, rule.period_setting, None)
        if not isinstance(days, int | float) or days <= 0:
            raise UnknownRetentionSetting(
                f"retention of {rule.what}: {rule.period_setting.upper()} is not a period in days of these settings"
            )
        found.append(Pruning(rule, timedelta(days=days)))
    return found


class Pruner:
    def __init__(
        self, pool: asyncpg.Pool, prunings: Sequence[Pruning], *, batch_size: int = 1000, interval_seconds: float = 3600
    ) -> None:
        self._pool = pool
        self._prunings = list(prunings)
        self._batch_size = batch_size
        self._interval_seconds = interval_seconds

    async def run(self) -> None:
        """Prunes every interval until cancelled; an outage or a failed batch waits for the next."""
        while True:
            try:
                await self.prune_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("retention pass failed; next one in %.0fs", self._interval_seconds, exc_info=True)
            await asyncio.sleep(self._interval_seconds)

    async def prune_once(self) -> dict[str, int]:
        """One pass: each rule's batches until none is full; how many rows each rule pruned."""
        pruned = {}
        for pruning in self._prunings:
            total = 0
            while True:
                async with self._pool.acquire() as conn, conn.transaction():
                    count = await pruning.rule.prune(conn, pruning.period, self._batch_size)
                total += count
                if count < self._batch_size:
                    break
            if total:
                log.info("retention: pruned %d (%s, older than %s)", total, pruning.rule.what, pruning.period)
            pruned[pruning.rule.what] = total
        return pruned

"""What the refund job still owes, read when Prometheus scrapes (entrypoints/metrics.py): two
bounded counts, so a scrape stays cheap however many refunds there are."""

from dataclasses import dataclass

from convene_delivery.postgres import Connection

# A count reads at most this many rows: more shows as this number.
COUNT_LIMIT = 100_000


@dataclass(frozen=True)
class RefundsOwed:
    owed: int  # decided, Stripe not asked or not answered yet (the partial index refunds_due)
    failed: int  # Stripe refused: an operator's to settle


async def refunds_owed(conn: Connection) -> RefundsOwed:
    row = await conn.fetchrow(
        """SELECT (SELECT count(*) FROM (SELECT 1 FROM refunds WHERE status = 'owed' LIMIT $1) AS o) AS owed,
                  (SELECT count(*) FROM (SELECT 1 FROM refunds WHERE status = 'failed' LIMIT $1) AS f) AS failed""",
        COUNT_LIMIT,
    )
    assert row is not None
    return RefundsOwed(row["owed"], row["failed"])

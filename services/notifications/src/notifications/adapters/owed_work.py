"""What the sender still owes, read when Prometheus scrapes (entrypoints/metrics.py): bounded
counts, so a scrape stays cheap however long the delivery log grows."""

from dataclasses import dataclass

from convene_delivery.postgres import Connection

# A count reads at most this many rows: more shows as this number.
COUNT_LIMIT = 100_000


@dataclass(frozen=True)
class EmailsOwed:
    owed: int  # pending: to be sent, now or after a backoff (the partial index deliveries_due)
    due: int  # of those, due now: what the sender is behind by


async def emails_owed(conn: Connection) -> EmailsOwed:
    row = await conn.fetchrow(
        """SELECT count(*) AS owed, count(*) FILTER (WHERE next_attempt_at <= now()) AS due
           FROM (SELECT next_attempt_at FROM deliveries WHERE status = 'pending' LIMIT $1) AS pending""",
        COUNT_LIMIT,
    )
    assert row is not None
    return EmailsOwed(row["owed"], row["due"])

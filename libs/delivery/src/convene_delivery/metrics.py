"""The delivery metrics (docs/operations.md, "Metrics and alerts"): what the consumers handled,
retried and parked, what the relay published, whether it leads, and the outbox's backlog.

Counters count in the process that did the work; the chassis serves them on `GET /metrics`
(convene_service.metrics). One process is one service, so the `service` label is the process's
own, named once at start (`name_service`). Under several HTTP workers prometheus-client's
multiprocess mode (PROMETHEUS_MULTIPROC_DIR) adds the workers up; the gauges say how.
"""

from dataclasses import dataclass

from prometheus_client import Counter, Gauge

from convene_delivery.postgres import Connection

_service = "unnamed"
# The consumer groups this process runs, with their topics: the lag is measured for these.
SUBSCRIBED: set[tuple[str, str]] = set()

HANDLED = Counter(
    "convene_messages_handled_total",
    "Kafka messages a consumer group finished with (applied, or not its event type)",
    ["service", "topic", "group"],
)
RETRIED = Counter(
    "convene_messages_retried_total",
    "Attempts at a message that failed and were tried again (outages included)",
    ["service", "topic", "group"],
)
DEAD_LETTERED = Counter(
    "convene_messages_dead_lettered_total",
    "Messages a consumer group gave up on and parked on <topic>.dlq",
    ["service", "topic", "group"],
)
PUBLISHED = Counter(
    "convene_outbox_published_total",
    "Outbox rows the relay published to Kafka, by topic and event type (holds, sales, emails sent...)",
    ["service", "topic", "event_type"],
)
# livesum: of every process of one service exactly one leads, so the sum is 1 (or 0: nobody leads).
RELAY_LEADER = Gauge(
    "convene_relay_leader", "1 while this process's relay leads", ["service"], multiprocess_mode="livesum"
)
# Read from Postgres when scraped: the same for every process of a service, hence mostrecent.
OUTBOX_BACKLOG = Gauge(
    "convene_outbox_backlog",
    "Unpublished outbox rows (counted up to BACKLOG_LIMIT)",
    ["service"],
    multiprocess_mode="mostrecent",
)
OUTBOX_OLDEST_AGE = Gauge(
    "convene_outbox_oldest_age_seconds",
    "Age of the oldest unpublished outbox row; 0 when none waits",
    ["service"],
    multiprocess_mode="mostrecent",
)

# A scrape reads at most this many rows: a huge backlog shows as this number, and stays cheap.
BACKLOG_LIMIT = 100_000


def name_service(name: str) -> None:
    """Sets the `service` label of every delivery metric this process records."""
    global _service  # one process is one service, named once at start
    _service = name


def service() -> str:
    return _service


@dataclass(frozen=True)
class Backlog:
    unpublished: int
    oldest_age_seconds: float


async def outbox_backlog(conn: Connection) -> Backlog:
    """One bounded read on the partial index of unpublished rows (outbox_unpublished)."""
    row = await conn.fetchrow(
        """SELECT count(*) AS unpublished,
                  coalesce(extract(epoch FROM clock_timestamp() - min(created_at)), 0)::float8 AS age
           FROM (SELECT created_at FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1) AS waiting""",
        BACKLOG_LIMIT,
    )
    assert row is not None
    return Backlog(row["unpublished"], max(row["age"], 0.0))


async def record_backlog(conn: Connection) -> None:
    backlog = await outbox_backlog(conn)
    OUTBOX_BACKLOG.labels(_service).set(backlog.unpublished)
    OUTBOX_OLDEST_AGE.labels(_service).set(backlog.oldest_age_seconds)

"""Conference's own metrics beside the chassis' (docs/operations.md, "Metrics and alerts").

Holds, sales and refunds issued are counted where they become facts, as the relay publishes
their events (`convene_outbox_published_total{event_type="conference.registration_held"}`...).
Here: the sold-out answers (a refusal, so no event), and the refunds still owed or failed, read
from Postgres when scraped."""

from prometheus_client import Counter, Gauge

from conference.adapters.views.owed_work import refunds_owed
from convene_service.spec import Runtime

SOLD_OUT_ANSWERS = Counter(
    "convene_sold_out_answers_total", "Registrations refused because a ticket type was sold out", ["service"]
)
REFUNDS_OWED = Gauge(
    "convene_refunds_owed", "Refunds decided and not yet issued by Stripe", ["service"], multiprocess_mode="mostrecent"
)
REFUNDS_FAILED = Gauge(
    "convene_refunds_failed", "Refunds Stripe refused, left to an operator", ["service"], multiprocess_mode="mostrecent"
)


def answered_sold_out() -> None:
    SOLD_OUT_ANSWERS.labels("conference").inc()


async def read_refunds(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        refunds = await refunds_owed(conn)
    REFUNDS_OWED.labels("conference").set(refunds.owed)
    REFUNDS_FAILED.labels("conference").set(refunds.failed)

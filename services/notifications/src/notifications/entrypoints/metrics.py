"""Notifications' own metrics beside the chassis' (docs/operations.md, "Metrics and alerts").

Emails sent and failed are counted where they become facts, as the relay publishes their events
(`convene_outbox_published_total{event_type="notification.sent"}`, `...="notification.failed"`);
the send cap's wait is timed in adapters/send_pace.py. Here: the emails still owed, read from
Postgres when scraped."""

from prometheus_client import Gauge

from convene_service.spec import Runtime
from notifications.adapters.owed_work import emails_owed

EMAILS_OWED = Gauge(
    "convene_emails_owed",
    "Emails waiting to be sent (pending), now or after a backoff",
    ["service"],
    multiprocess_mode="mostrecent",
)
EMAILS_DUE = Gauge(
    "convene_emails_due",
    "Pending emails whose time has come: what the sender is behind by",
    ["service"],
    multiprocess_mode="mostrecent",
)


async def read_emails(runtime: Runtime) -> None:
    async with runtime.pool.acquire() as conn:
        emails = await emails_owed(conn)
    EMAILS_OWED.labels("notifications").set(emails.owed)
    EMAILS_DUE.labels("notifications").set(emails.due)

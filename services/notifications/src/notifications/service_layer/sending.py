"""Sending due emails (N2, N6): one pass of a sender worker. The loop that runs passes is
entrypoints/jobs.py.

A worker claims a few due deliveries at once, with their attachments, in one statement: it
locks them with FOR UPDATE SKIP LOCKED, stamps them with a claim of its own and moves their
`next_attempt_at` one lease (SEND_LEASE_SECONDS) ahead, so no other worker or instance takes
them while it sends. Each one the SMTP server accepts is then marked sent, with its
`notification.sent` event, in one statement that holds only while the claim is still this
worker's. Five round trips to Postgres per email became about one (docs/benchmarks.md, B4).

No email is sent after its lease could have run out: a send is bounded by SMTP_TIMEOUT_SECONDS,
and a worker starts one only while two of those are left of its lease; what it cannot start in
time it hands back. A crash leaves its claimed emails due again when their lease ends. The one
window left is as before: a crash between the server's acceptance and the "sent" statement sends
that email again.

A 4xx answer or a lost connection is retried with exponential backoff and jitter up to
SEND_MAX_ATTEMPTS; a 5xx answer is final. Either way a failed delivery publishes
`notification.failed` and is parked on the dead-letter topic, both in the transaction that marks
it failed; a sent one publishes `notification.sent`.
"""

import asyncio
import logging
from datetime import timedelta
from itertools import count
from uuid import UUID, uuid4

from convene_contracts.notifications import (
    DeliveryPayload,
    NotificationFailed,
    NotificationFailedPayload,
    NotificationSent,
)
from convene_delivery.backoff import backoff_delay
from convene_delivery.correlation import correlated
from convene_delivery.postgres import is_outage
from convene_delivery.tracing import continuing
from notifications.domain.deliveries import ClaimedEmail
from notifications.domain.errors import EmailNotSent
from notifications.service_layer.deps import Deps, Smtp

log = logging.getLogger(__name__)

MARK_SENT_RETRY_SECONDS = 0.1  # the first wait before recording a sent email again, doubling to 1 s
CLAIM_LIMIT = 16  # emails per claim: one round trip shared by many, and few held back by a crash


def claim_limit(deps: Deps) -> int:
    """Under a low send cap a big claim would only wait: each worker claims about a second's worth."""
    return max(1, min(CLAIM_LIMIT, int(deps.settings.send_rate_per_second / len(deps.smtp))))


async def send_due(deps: Deps, smtp: Smtp) -> bool:
    """Claims due deliveries and sends (or retries, or fails) each; False when none is due."""
    settings = deps.settings
    lease = timedelta(seconds=settings.send_lease_seconds)
    # Starting a send later than this after claiming could outlast the lease: see the module's doc.
    sending_window = settings.send_lease_seconds - 2 * settings.smtp_timeout_seconds
    claim, claimed_at = uuid4(), deps.clock()
    emails = await deps.queue.claim_due(claim, lease, claim_limit(deps))
    if not emails:
        return False
    try:
        while emails:
            await deps.rate.wait()
            if deps.clock() - claimed_at > sending_window:
                break
            with correlated(emails[0].correlation_id):  # the send's log lines show the flow's id
                await _send(deps, smtp, claim, emails[0], lease_ends=claimed_at + settings.send_lease_seconds)
            emails.pop(0)
    finally:
        if emails:  # out of time, a failure, or shutting down
            await deps.queue.hand_back(claim, emails)
    return True


async def _send(deps: Deps, smtp: Smtp, claim: UUID, email: ClaimedEmail, lease_ends: float) -> None:
    attempts = email.attempts + 1
    try:
        # In the trace of the event that owed the email, when that was traced.
        with continuing("send email", email.trace_context, template=email.rendered.template, attempt=attempts):
            await smtp.deliver(email.rendered, email.message_id, email.headers, email.attachments)
    except EmailNotSent as refused:
        await _not_sent(deps, claim, email, attempts, refused.reason, permanent=refused.permanent)
    else:
        sent = NotificationSent(
            producer="notifications",
            correlation_id=_flow(email),
            causation_id=email.event_id,
            payload=_payload(email, attempts),
        )
        ids = {"delivery_id": str(email.id), "event_type": email.event_type}
        if not await _mark_sent(deps, claim, email, attempts, sent, lease_ends):
            # An operator queued it again (it goes once more), or its person was erased meanwhile.
            log.warning("delivery %s was sent after its claim ended", email.id, extra=ids)
        else:
            log.info("sent delivery %s (%s, attempt %d)", email.id, email.event_type, attempts, extra=ids)


async def _mark_sent(
    deps: Deps, claim: UUID, email: ClaimedEmail, attempts: int, sent: NotificationSent, lease_ends: float
) -> bool:
    """The SMTP server took the email: that must be recorded, through a database outage too (a
    Postgres restart), for as long as the claim's lease lasts. Given up, the email would go again
    when its lease ends: a second copy in the person's inbox."""
    for attempt in count(1):
        try:
            return await deps.queue.mark_sent(email, claim, attempts, sent)
        except Exception as error:
            wait = backoff_delay(attempt, MARK_SENT_RETRY_SECONDS, max_seconds=1.0)
            if not is_outage(error) or deps.clock() + wait >= lease_ends:
                raise
            log.warning(
                "delivery %s was sent; recording it waits for the database",
                email.id,
                extra={"delivery_id": str(email.id)},
            )
            await asyncio.sleep(wait)
    raise AssertionError("unreachable: count() never ends")


async def _not_sent(deps: Deps, claim: UUID, email: ClaimedEmail, attempts: int, error: str, permanent: bool) -> None:
    async with deps.uow() as uow:
        if permanent or attempts >= deps.settings.send_max_attempts:
            failed = []
            if await uow.deliveries.fail(email, claim, attempts, error):
                payload = NotificationFailedPayload(
                    **_payload(email, attempts).model_dump(), error=error, permanent=permanent
                )
                announced = NotificationFailed(
                    producer="notifications",
                    correlation_id=_flow(email),
                    causation_id=email.event_id,
                    payload=payload,
                )
                # Parked with the "failed" mark, in its transaction: both or neither, once (N2).
                await uow.deliveries.park(announced)
                failed.append(announced)
            await uow.commit(failed)
            return
        delay = backoff_delay(attempts, deps.settings.send_backoff_seconds)
        await uow.deliveries.retry_later(email, claim, attempts, error, timedelta(seconds=delay))
        await uow.commit()


def _flow(email: ClaimedEmail) -> UUID:
    # The flow the email belongs to; a delivery written before flows were kept had only its event.
    return email.correlation_id or email.event_id


def _payload(email: ClaimedEmail, attempts: int) -> DeliveryPayload:
    return DeliveryPayload(
        delivery_id=email.id,
        event_id=email.event_id,
        event_type=email.event_type,
        template=email.rendered.template,
        attempts=attempts,
    )

"""One pass of a sender worker (N2, N6) against in-memory fakes: sent and announced; a 4xx
retried with backoff; a 5xx failed at once and announced; the last attempt fails; what a claim
cannot start in time goes back; a resend while sending sends again."""

from datetime import timedelta
from typing import Any
from uuid import uuid4

import aiosmtplib
import asyncpg

from notifications.service_layer import intake
from notifications.service_layer.sending import claim_limit, send_due
from tests.support.samples import sample_events

from .world import World, world


def address() -> str:
    return f"p-{uuid4().hex[:10]}@example.org"


async def owe(w: World, event_type: str = "conference.checked_in") -> str:
    to = address()
    await intake.take_in(w.deps, sample_events(to)[event_type])
    return to


async def test_nothing_due_is_a_pass_that_finds_nothing() -> None:
    assert await send_due(world().deps, world().smtp) is False


async def test_an_accepted_email_is_marked_sent_and_announced() -> None:
    w = world()
    to = await owe(w)
    assert await send_due(w.deps, w.smtp) is True
    [sent] = w.smtp.to(to)
    [delivery] = w.state.to(to)
    assert sent.message_id == f"<{delivery.id}@convene>"
    assert (delivery.status, delivery.attempts, delivery.claim) == ("sent", 1, None)
    [announced] = w.state.outbox
    assert announced.event_type == "notification.sent"
    assert announced.payload.delivery_id == delivery.id  # type: ignore[attr-defined]
    assert announced.causation_id == delivery.event_id
    assert await send_due(w.deps, w.smtp) is False  # sent once


async def test_a_4xx_is_retried_after_a_backoff_then_sent() -> None:
    w = world(send_backoff_seconds=30)
    to = await owe(w)
    w.smtp.refuse(to, aiosmtplib.SMTPResponseException(451, "4.3.0 try later"))
    await send_due(w.deps, w.smtp)
    [delivery] = w.state.to(to)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "451 4.3.0 try later")
    assert delivery.claim is None
    assert timedelta(seconds=15) <= delivery.next_attempt_at - w.state.now <= timedelta(seconds=30)
    assert w.state.outbox == []
    assert await send_due(w.deps, w.smtp) is False  # not due before its backoff ends
    w.later(31)
    await send_due(w.deps, w.smtp)
    [delivery] = w.state.to(to)
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(w.smtp.to(to)) == 1


async def test_a_lost_connection_is_retried_too() -> None:
    w = world()
    to = await owe(w)
    w.smtp.refuse(to, aiosmtplib.SMTPServerDisconnected("Connection lost"))
    await send_due(w.deps, w.smtp)
    [delivery] = w.state.to(to)
    assert (delivery.status, delivery.last_error) == ("pending", "SMTPServerDisconnected: Connection lost")


async def test_a_5xx_fails_at_once_and_announces_it_as_permanent() -> None:
    w = world()
    to = await owe(w)
    w.smtp.refuse(to, aiosmtplib.SMTPResponseException(550, "5.1.1 no such user"))
    await send_due(w.deps, w.smtp)
    [delivery] = w.state.to(to)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 1, "550 5.1.1 no such user")
    [announced] = w.state.outbox
    assert announced.event_type == "notification.failed"
    assert announced.payload.permanent is True  # type: ignore[attr-defined]
    assert announced.payload.error == "550 5.1.1 no such user"  # type: ignore[attr-defined]
    w.later(3600)
    assert await send_due(w.deps, w.smtp) is False  # no more tries
    assert w.smtp.to(to) == []


async def test_a_failed_email_is_parked_with_its_announcement_and_a_retried_one_is_not() -> None:
    w = world(send_max_attempts=2, send_backoff_seconds=1)
    to = await owe(w)
    w.smtp.refuse(to, *(aiosmtplib.SMTPResponseException(452, "4.3.1 mailbox busy") for _ in range(2)))
    await send_due(w.deps, w.smtp)
    assert w.state.dead_letters == []  # a retry to come: nothing is parked yet
    w.later(2)
    await send_due(w.deps, w.smtp)
    [announced] = w.state.outbox
    assert w.state.dead_letters == [announced]  # the same fact, in the same commit


async def test_the_last_4xx_attempt_fails_the_email_as_not_permanent() -> None:
    w = world(send_max_attempts=2, send_backoff_seconds=1)
    to = await owe(w)
    w.smtp.refuse(to, *(aiosmtplib.SMTPResponseException(452, "4.3.1 mailbox busy") for _ in range(2)))
    await send_due(w.deps, w.smtp)
    w.later(2)
    await send_due(w.deps, w.smtp)
    [delivery] = w.state.to(to)
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    [announced] = w.state.outbox
    assert announced.payload.permanent is False  # type: ignore[attr-defined]


async def test_what_a_claim_cannot_start_in_its_lease_goes_back_due_as_before() -> None:
    # Lease 90 s, sends cut off after 30 s: a send may start only within 30 s of the claim.
    w = world(send_lease_seconds=90, smtp_timeout_seconds=30)
    people = [await owe(w) for _ in range(3)]
    due_at = {to: w.state.to(to)[0].next_attempt_at for to in people}
    w.smtp.during_send = lambda email: setattr(w.clock, "now", w.clock.now + 20)  # each send takes 20 s
    await send_due(w.deps, w.smtp)
    assert len(w.smtp.sent) == 2  # started at 0 s and 20 s; the third would start at 40 s
    [left] = [to for to in people if not w.smtp.to(to)]
    [back] = w.state.to(left)
    assert (back.status, back.claim, back.next_attempt_at) == ("pending", None, due_at[left])
    await send_due(w.deps, w.smtp)
    assert [len(w.smtp.to(to)) for to in people] == [1, 1, 1]


async def test_a_claim_takes_about_a_seconds_worth_under_a_low_cap() -> None:
    assert claim_limit(world(send_rate_per_second=1000).deps) == 16
    assert claim_limit(world(send_rate_per_second=3).deps) == 3
    assert claim_limit(world(send_rate_per_second=0.5).deps) == 1


async def test_the_cap_spaces_the_emails_of_a_pass() -> None:
    w = world(send_rate_per_second=2)
    for _ in range(2):
        await owe(w)
    sent_at: list[float] = []
    w.smtp.during_send = lambda email: sent_at.append(w.clock.now)
    await send_due(w.deps, w.smtp)
    assert [t - sent_at[0] for t in sent_at] == [0.0, 0.5]


async def test_an_email_resent_while_it_was_being_sent_goes_again() -> None:
    w = world()
    to = await owe(w)
    [delivery] = w.state.to(to)

    def operator_resends(email: object) -> None:
        w.state.deliveries[delivery.id].claim = None  # what the resend's statement does to the claim

    w.smtp.during_send = operator_resends
    await send_due(w.deps, w.smtp)
    assert w.state.to(to)[0].status == "pending"  # its "sent" no longer counted
    assert w.state.outbox == []


async def test_a_sent_email_is_recorded_through_a_database_outage_and_not_sent_again() -> None:
    """The SMTP server took it, then Postgres restarted before the 'sent' mark: the mark waits for
    the database rather than leaving the email to go again when its lease ends."""
    w = world()
    to = await owe(w)
    mark_sent = w.deps.queue.mark_sent
    outages = [asyncpg.AdminShutdownError("terminating connection due to administrator command")]

    async def restarting_database(*args: Any) -> bool:
        if outages:
            raise outages.pop()
        return await mark_sent(*args)

    w.deps.queue.mark_sent = restarting_database  # type: ignore[method-assign,assignment]
    await send_due(w.deps, w.smtp)
    [delivery] = w.state.to(to)
    assert (delivery.status, delivery.claim) == ("sent", None)
    w.later(3600)
    assert await send_due(w.deps, w.smtp) is False  # nothing left to send: one copy in the inbox
    assert len(w.smtp.to(to)) == 1

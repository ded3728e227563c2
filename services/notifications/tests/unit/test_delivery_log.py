"""The delivery log and resend (N3), and unsubscribing through a signed link (N4), against
in-memory fakes."""

from uuid import uuid4

import aiosmtplib
import pytest

from convene_contracts.membership import MemberErased, MemberErasedPayload
from notifications.domain.deliveries import LogFilters
from notifications.domain.errors import AlreadyUnsubscribed, NoSuchDelivery, NotOurLink
from notifications.service_layer import delivery_log, intake, preferences
from notifications.service_layer.sending import send_due
from tests.support.samples import NOW, sample_events

from .world import world


def address() -> str:
    return f"p-{uuid4().hex[:10]}@example.org"


async def test_a_failed_email_is_found_in_the_log_and_resent() -> None:
    w, to = world(), address()
    await intake.take_in(w.deps, sample_events(to)["membership.lapsed"])
    w.smtp.refuse(to, aiosmtplib.SMTPResponseException(554, "5.7.1 rejected"))
    await send_due(w.deps, w.smtp)
    [row] = await delivery_log.find(w.deps, LogFilters(recipient=to.upper(), status="failed"))
    assert row["event_type"] == "membership.lapsed"
    assert await delivery_log.find(w.deps, LogFilters(recipient=to, status="sent")) == []
    wake_ups = w.state.wake_ups

    assert await delivery_log.resend(w.deps, row["id"]) == to
    [delivery] = w.state.to(to)
    assert (delivery.status, delivery.attempts) == ("pending", 0)
    assert w.state.wake_ups == wake_ups + 1  # the sender goes now, not at its next poll
    await send_due(w.deps, w.smtp)
    [sent] = w.smtp.to(to)
    assert sent.message_id == f"<{delivery.id}@convene>"  # the same email, the same Message-ID


async def test_no_such_delivery_and_an_erased_persons_cannot_be_resent() -> None:
    w, to = world(), address()
    with pytest.raises(NoSuchDelivery):
        await delivery_log.resend(w.deps, uuid4())
    joined = sample_events(to)["membership.activated"]
    await intake.take_in(w.deps, joined)
    erased = MemberErasedPayload(member_id=joined.payload.member_id, erased_at=NOW)  # type: ignore[attr-defined]
    await intake.take_in(w.deps, MemberErased(producer="membership", correlation_id=uuid4(), payload=erased))
    [forgotten] = w.state.to("erased")
    with pytest.raises(NoSuchDelivery):
        await delivery_log.resend(w.deps, forgotten.id)
    assert forgotten.status == "failed"


async def test_a_signed_link_unsubscribes_once() -> None:
    w, to = world(), f"Reader-{uuid4().hex[:6]}@Example.org"
    sig = w.deps.links.signature(to)
    assert await preferences.is_unsubscribed(w.deps, to, sig) is False
    await preferences.unsubscribe(w.deps, to, sig)
    assert w.state.unsubscribes == {to.lower()}
    assert await preferences.is_unsubscribed(w.deps, to.lower(), sig) is True
    with pytest.raises(AlreadyUnsubscribed):
        await preferences.unsubscribe(w.deps, to, sig)


async def test_a_link_that_is_not_ours_changes_nothing() -> None:
    w = world()
    sig = w.deps.links.signature("someone@example.org")
    with pytest.raises(NotOurLink):
        await preferences.unsubscribe(w.deps, "other@example.org", sig)
    with pytest.raises(NotOurLink):
        await preferences.is_unsubscribed(w.deps, "someone@example.org", "0" * 32)
    assert w.state.unsubscribes == set()

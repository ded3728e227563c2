"""Taking events in (N1, N2, N4, erasure) against in-memory fakes: which emails an event owes,
once; reminders and the people who unsubscribed; erasure; a batch that fails leaves nothing."""

from dataclasses import replace
from typing import Any
from uuid import uuid4

import pytest

from convene_contracts.membership import MemberErased, MemberErasedPayload
from notifications.domain.email import RenderedEmail
from notifications.service_layer import intake
from tests.support.samples import NOW, sample_events

from .fake_gateways import FakeRenderer
from .world import world


class BreaksOn(FakeRenderer):
    """A template that fails to render, as a broken operator's override would."""

    def __init__(self, template: str) -> None:
        self.template = template

    def render(self, template: str, recipient: str, **values: Any) -> RenderedEmail:
        if template == self.template:
            raise RuntimeError("template broke")
        return super().render(template, recipient, **values)


def address() -> str:
    return f"p-{uuid4().hex[:10]}@example.org"


async def test_an_event_owes_its_email_once_and_a_redelivery_owes_nothing_new() -> None:
    w, to = world(), address()
    renewed = sample_events(to)["membership.renewed"]
    await intake.take_in(w.deps, renewed)
    await intake.take_in(w.deps, renewed)
    await intake.take_in_batch(w.deps, [renewed, renewed])
    [owed] = w.state.to(to)
    assert (owed.event_type, owed.status, owed.transactional) == ("membership.renewed", "pending", True)
    assert owed.email.template == "membership.renewed"
    assert owed.headers == {}  # a receipt carries no unsubscribe link
    assert w.state.wake_ups == 1  # the sender is woken for the one new email only


async def test_a_confirmed_registration_owes_each_attendee_a_ticket_with_its_qr_and_invite() -> None:
    w = world()
    confirmed = sample_events(address())["conference.registration_confirmed"]
    await intake.take_in(w.deps, confirmed)
    attendees = confirmed.payload.attendees  # type: ignore[attr-defined]
    for attendee in attendees:
        [ticket] = w.state.to(attendee.email)
        files = {f.filename: f for f in ticket.attachments}
        assert files["ticket.png"].content == f"QR {attendee.ticket_code}".encode()  # drawn by the QR gateway
        assert files["ticket.png"].content_id == "ticket-qr"
        if confirmed.payload.starts_on:  # type: ignore[attr-defined]
            assert files["conference.ics"].content_type == "text/calendar"


async def test_a_reminder_carries_a_signed_one_click_unsubscribe() -> None:
    w, to = world(), address()
    await intake.take_in(w.deps, sample_events(to)["membership.expiring_soon"])
    [reminder] = w.state.to(to)
    assert reminder.transactional is False
    assert reminder.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert reminder.headers["List-Unsubscribe"] == f"<{w.deps.links.one_click_url(to)}>"
    assert w.deps.links.one_click_url(to).startswith("https://mail.cit.example/unsubscribe?email=")
    assert f"unsubscribe_url: {w.deps.links.page_url(to)}" in reminder.email.text


async def test_an_address_that_unsubscribed_gets_no_reminders_but_still_its_receipts() -> None:
    w, to = world(), address()
    w.state.unsubscribes.add(to.lower())
    events = sample_events(to)
    await intake.take_in_batch(
        w.deps, [events["membership.expiring_soon"], events["membership.in_grace"], events["membership.renewed"]]
    )
    assert [d.event_type for d in w.state.to(to)] == ["membership.renewed"]


async def test_erasure_forgets_the_address_and_fails_what_was_still_owed() -> None:
    w, to = world(), address()
    joined = sample_events(to)["membership.activated"]
    await intake.take_in(w.deps, joined)
    member_id = joined.payload.member_id  # type: ignore[attr-defined]
    w.state.unsubscribes.add(to)
    erased = MemberErased(
        producer="membership", correlation_id=uuid4(), payload=MemberErasedPayload(member_id=member_id, erased_at=NOW)
    )
    await intake.take_in(w.deps, erased)
    assert w.state.to(to) == []
    [forgotten] = w.state.to("erased")
    assert (forgotten.status, forgotten.last_error) == ("failed", "erased before it was sent")
    assert (forgotten.email.subject, forgotten.email.text, forgotten.headers) == ("(erased)", "", {})
    assert w.state.addresses == set()
    assert to not in w.state.unsubscribes


async def test_erasure_in_a_batch_also_erases_what_the_batch_owed_before_it() -> None:
    w, to = world(), address()
    joined = sample_events(to)["membership.activated"]
    erased = MemberErased(
        producer="membership",
        correlation_id=uuid4(),
        payload=MemberErasedPayload(
            member_id=joined.payload.member_id,  # type: ignore[attr-defined]
            erased_at=NOW,
        ),
    )
    later = sample_events(address())["membership.renewed"]
    await intake.take_in_batch(w.deps, [joined, erased, later])
    assert w.state.recipients() == sorted(["erased", later.payload.email])  # type: ignore[attr-defined]
    assert w.state.commits == 1  # the whole batch: one transaction


async def test_a_batch_that_fails_half_way_leaves_nothing_behind() -> None:
    w = world()
    good = sample_events(address())["membership.renewed"]
    broken = sample_events(address())["membership.lapsed"]

    deps = replace(w.deps, renderer=BreaksOn("membership.lapsed"))
    with pytest.raises(RuntimeError):
        await intake.take_in_batch(deps, [good, broken])
    assert w.state.deliveries == {}
    assert w.state.inbox == set()  # not taken in: Kafka hands it over again
    assert w.state.commits == 0

"""Per-person links in the ticket emails (issue 15, item 3): each attendee's ticket carries the
attendee's own link, never the payer's, which manages the whole group."""

from uuid import uuid4

from convene_contracts import conference as c
from notifications.service_layer import intake
from tests.support.samples import sample_events

from .world import world

GROUP_LINK = "https://conference.example/events/registrations/r?token=group"


def _group_confirmed(payer: str, attendees: list[str], payer_attends: bool) -> c.RegistrationConfirmed:
    sample = sample_events(payer)["conference.registration_confirmed"]
    assert isinstance(sample, c.RegistrationConfirmed)
    people = [
        c.AttendeeTicket(
            attendee_id=uuid4(),
            name=f"Attendee {n}",
            email=email,
            ticket_types=["Full conference"],
            ticket_code=f"CODE{n:06d}",
            ticket_url=f"https://conference.example/events/tickets/{n}?token=own-{n}",
        )
        for n, email in enumerate(([payer] if payer_attends else []) + attendees)
    ]
    payload = sample.payload.model_copy(update={"attendees": people, "manage_url": GROUP_LINK})
    return sample.model_copy(update={"payload": payload})


def _address() -> str:
    return f"p-{uuid4().hex[:10]}@example.org"


async def test_each_attendee_gets_their_own_link_and_the_payer_the_group_link() -> None:
    w, payer, others = world(), _address(), [_address(), _address()]
    confirmed = _group_confirmed(payer, others, payer_attends=False)
    await intake.take_in(w.deps, confirmed)
    for n, email in enumerate(others):
        [ticket] = w.state.to(email)
        assert f"ticket_url: https://conference.example/events/tickets/{n}?token=own-{n}" in ticket.email.text
        assert "token=group" not in ticket.email.text
    [summary] = w.state.to(payer)
    assert f"manage_url: {GROUP_LINK}" in summary.email.text


async def test_a_payer_who_attends_gets_their_ticket_with_the_group_link() -> None:
    w, payer, other = world(), _address(), _address()
    await intake.take_in(w.deps, _group_confirmed(payer, [other], payer_attends=True))
    [own] = w.state.to(payer)
    assert f"manage_url: {GROUP_LINK}" in own.email.text
    [theirs] = w.state.to(other)
    assert "token=group" not in theirs.email.text


async def test_an_event_from_before_the_attendee_links_gives_attendees_no_link_to_the_group() -> None:
    """An older producer sends no ticket_url: the attendee's email then carries no link at all."""
    w, payer, other = world(), _address(), _address()
    confirmed = _group_confirmed(payer, [other], payer_attends=False)
    people = [a.model_copy(update={"ticket_url": None}) for a in confirmed.payload.attendees]
    old = confirmed.model_copy(update={"payload": confirmed.payload.model_copy(update={"attendees": people})})
    await intake.take_in(w.deps, old)
    [theirs] = w.state.to(other)
    assert "token=group" not in theirs.email.text


async def test_a_member_price_offer_is_sent_to_the_members_own_address_with_its_link() -> None:
    w, member = world(), _address()
    offered = sample_events(member)["conference.member_price_offered"]
    await intake.take_in(w.deps, offered)
    [email] = w.state.to(member)
    assert email.transactional is True
    assert "confirm_url: https://conference.example/events/attendees/a/member-price?token=t" in email.email.text
    assert "member_amount: " in email.email.text

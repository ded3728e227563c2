"""A registration's request checked and priced before anything is written (domain/booking.py):
which pools each ticket takes a seat from, comps, kept waitlist seats, and what is refused."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from conference.domain.booking import AttendeeIn, book
from conference.domain.errors import RegistrationRefused
from conference.domain.model import DiscountCode

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)


def ticket_row(conference_id: UUID, kind: str = "main", price: int = 45000) -> dict[str, Any]:
    return {
        "id": uuid4(),
        "conference_id": conference_id,
        "name": f"{kind} ticket",
        "kind": kind,
        "capacity": 10,
        "member_price_minor": price - 15000,
        "non_member_price_minor": price,
        "early_member_price_minor": None,
        "early_non_member_price_minor": None,
        "early_bird_until": None,
    }


def conference(capacity: int | None = None, members: tuple[str, ...] = ()) -> dict[str, Any]:
    conference_id = uuid4()
    main, addon = ticket_row(conference_id), ticket_row(conference_id, "addon", 20000)
    return {
        "id": conference_id,
        "currency": "usd",
        "hold_minutes": 15,
        "max_tickets_per_registration": 10,
        "capacity": capacity,
        "ticket_types": [main, addon],
        "members": list(members),
        "questions": "[]",
    }


def ids(c: dict[str, Any]) -> tuple[UUID, UUID]:
    return c["ticket_types"][0]["id"], c["ticket_types"][1]["id"]


def test_a_group_is_priced_per_attendee_and_main_tickets_take_the_conferences_seat_first() -> None:
    c = conference(capacity=50, members=("ada@example.org",))
    main, addon = ids(c)
    people = [AttendeeIn("Ada", "Ada@example.org", [main, addon], {}), AttendeeIn("Bo", "bo@example.org", [main], {})]
    signed_in = frozenset({"ada@example.org"})  # Ada signed in: her membership is proven
    b = book(c, "Ada", "ada@example.org", people, NOW, None, {}, complimentary=False, proven=signed_in)
    assert [t.price for t in b.tickets] == [30000, 5000, 45000]
    assert b.total == 80000
    assert [t.pools for t in b.tickets] == [[c["id"], main], [addon], [c["id"], main]]
    assert b.hold_expires_at == NOW + timedelta(minutes=15)
    assert [a.member_pricing for a in b.attendees] == [True, False]
    assert not b.one_seat


def test_a_members_address_without_proof_is_priced_as_a_non_members_with_the_member_price_kept() -> None:
    c = conference(members=("ada@example.org",))
    main, addon = ids(c)
    people = [AttendeeIn("Ada", "ada@example.org", [main, addon], {})]
    b = book(c, "Bo", "bo@example.org", people, NOW, None, {}, complimentary=False)
    assert [t.price for t in b.tickets] == [45000, 20000]
    assert [t.member_price for t in b.tickets] == [30000, 5000]
    assert [(a.member_pricing, a.member_price_offered) for a in b.attendees] == [(False, True)]
    alone = book(c, "Ada", "ada@example.org", [AttendeeIn("Ada", "ada@example.org", [main], {})], NOW, None, {}, False)
    assert not alone.one_seat  # its member price is written beside it, on the general path


def test_one_person_with_one_ticket_from_one_pool_is_written_in_a_batch() -> None:
    c = conference()
    main, _ = ids(c)
    b = book(c, "Bo", "bo@example.org", [AttendeeIn("Bo", "bo@example.org", [main], {})], NOW, None, {}, False)
    assert b.one_seat
    code = DiscountCode(uuid4(), "TEN", 10, None, None, None, None)
    with_code = book(c, "Bo", "bo@example.org", [AttendeeIn("Bo", "bo@example.org", [main], {})], NOW, code, {}, False)
    assert not with_code.one_seat
    assert with_code.total == 40500


def test_a_comp_costs_nothing_and_a_kept_waitlist_seat_is_used_as_it_is() -> None:
    c = conference()
    main, _ = ids(c)
    kept = [[str(main), 7]]
    b = book(
        c,
        "Bo",
        "bo@example.org",
        [AttendeeIn("Bo", "bo@example.org", [main], {})],
        NOW,
        None,
        {main: kept},
        complimentary=True,
    )
    assert b.total == 0
    assert b.tickets[0].kept == kept
    assert not b.one_seat


def test_a_ticket_type_of_another_conference_is_refused_with_the_field_at_fault() -> None:
    c = conference()
    people = [AttendeeIn("Bo", "bo@example.org", [uuid4()], {})]
    with pytest.raises(RegistrationRefused) as refused:
        book(c, "Bo", "bo@example.org", people, NOW, None, {}, False)
    assert refused.value.field == "attendees.0.ticket_type_ids"


def test_an_add_on_alone_is_refused() -> None:
    c = conference()
    _, addon = ids(c)
    with pytest.raises(RegistrationRefused, match="needs a main ticket"):
        book(c, "Bo", "bo@example.org", [AttendeeIn("Bo", "bo@example.org", [addon], {})], NOW, None, {}, False)

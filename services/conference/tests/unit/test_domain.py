"""Conference's domain rules, without I/O: prices, discounts, add-ons, refund policy, questions."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from conference.domain.errors import RegistrationRefused
from conference.domain.model import (
    DiscountCode,
    RefundPolicy,
    RegistrationStatus,
    TicketKind,
    TicketType,
    priced_tickets,
    require,
)
from conference.domain.questions import check_answers

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
CONFERENCE = uuid4()


def ticket(kind: TicketKind = TicketKind.MAIN, early_until: datetime | None = None) -> TicketType:
    return TicketType(
        uuid4(),
        CONFERENCE,
        f"{kind} ticket",
        kind,
        100,
        member_price_minor=30000,
        non_member_price_minor=45000,
        early_member_price_minor=25000,
        early_non_member_price_minor=40000,
        early_bird_until=early_until,
    )


def code(percent: int | None = None, amount: int | None = None, **kw: object) -> DiscountCode:
    fields: dict[str, object] = {"valid_from": None, "valid_until": None, "ticket_type_ids": None} | kw
    return DiscountCode(uuid4(), "CIT2026", percent, amount, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("member", "early_until", "price"),
    [
        (True, None, 30000),
        (False, None, 45000),
        (True, NOW + timedelta(seconds=1), 25000),
        (False, NOW + timedelta(days=1), 40000),
        (True, NOW, 30000),
    ],  # the early price ends at its instant
)
def test_members_and_early_birds_pay_their_price(member: bool, early_until: datetime | None, price: int) -> None:
    assert ticket(early_until=early_until).price(member=member, now=NOW) == price


def test_a_percent_code_rounds_half_up_and_an_amount_code_never_goes_below_zero() -> None:
    assert code(percent=15).discounted(4999) == 4249  # 749.85 off rounds to 750
    assert code(amount=5000).discounted(4000) == 0


def test_a_code_limited_to_ticket_types_discounts_only_those() -> None:
    main, workshop = ticket(), ticket(TicketKind.ADDON)
    limited = code(percent=50, ticket_type_ids=frozenset({workshop.id}))
    assert priced_tickets([main, workshop], member=True, now=NOW, discount=limited) == [30000, 15000]


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "ok"),
    [(None, None, True), (NOW, None, True), (NOW + timedelta(seconds=1), None, False), (None, NOW, False)],
)
def test_a_code_is_valid_only_inside_its_window(
    valid_from: datetime | None, valid_until: datetime | None, ok: bool
) -> None:
    discount = code(percent=10, valid_from=valid_from, valid_until=valid_until)
    if ok:
        discount.check_valid(NOW)
    else:
        with pytest.raises(RegistrationRefused, match="not valid now"):
            discount.check_valid(NOW)


def test_an_add_on_needs_a_main_ticket() -> None:
    with pytest.raises(RegistrationRefused, match="needs a main ticket") as refused:
        priced_tickets([ticket(TicketKind.ADDON)], member=False, now=NOW, discount=None)
    assert refused.value.field == "ticket_type_ids"


def test_a_ticket_type_cannot_be_listed_twice_for_one_attendee() -> None:
    main = ticket()
    with pytest.raises(RegistrationRefused, match="twice"):
        priced_tickets([main, main], member=False, now=NOW, discount=None)


POLICY = RefundPolicy(full_until=NOW, partial_until=NOW + timedelta(days=30), partial_percent=50)


@pytest.mark.parametrize(
    ("when", "refund"),
    [
        (NOW - timedelta(seconds=1), 45001),
        (NOW, 22500),
        (NOW + timedelta(days=29), 22500),
        (NOW + timedelta(days=30), 0),
    ],  # 50% of 45001 rounds down: never more than the policy
)
def test_the_refund_policy_gives_full_then_partial_then_nothing(when: datetime, refund: int) -> None:
    assert POLICY.refund(45001, when) == refund


def test_no_policy_means_no_refund() -> None:
    assert RefundPolicy(None, None, None).refund(10000, NOW) == 0


@pytest.mark.parametrize(
    ("change", "allowed"),
    [
        ("confirm", {RegistrationStatus.HELD}),
        ("expire", {RegistrationStatus.HELD}),
        ("cancel", {RegistrationStatus.HELD, RegistrationStatus.CONFIRMED}),
    ],
)
def test_each_change_applies_only_from_the_states_that_allow_it(change: str, allowed: set[RegistrationStatus]) -> None:
    for status in RegistrationStatus:
        if status in allowed:
            require(change, status)
        else:
            with pytest.raises(RegistrationRefused):
                require(change, status)


QUESTIONS = [
    {"key": "dietary", "label": "Dietary needs", "type": "text", "required": False},
    {"key": "role", "label": "Role", "type": "choice", "required": True, "choices": ["officer", "clinician"]},
    {"key": "accessibility", "label": "Need step-free access?", "type": "yes_no", "required": False},
]


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({}, "a.role", "'Role' needs an answer"),
        ({"role": "mayor"}, "a.role", "must be one of officer, clinician"),
        ({"role": "officer", "accessibility": "yes"}, "a.accessibility", "true or false"),
        ({"role": "officer", "shoe_size": 42}, "a.shoe_size", "not a question"),
    ],
)
def test_custom_questions_are_checked_by_type_and_requirement(
    answers: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(RegistrationRefused, match=message) as refused:
        check_answers(QUESTIONS, answers, "a")
    assert refused.value.field == field


def test_good_answers_pass() -> None:
    check_answers(QUESTIONS, {"role": "clinician", "accessibility": True, "dietary": "vegan"}, "a")

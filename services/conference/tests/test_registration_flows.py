"""Register -> pay -> confirmed; holds that expire; late payments; webhooks; member pricing
from Kafka (C3, C4, C5, C13; reliability properties 1, 2, 5, 17, 19)."""

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import pytest

from conference.adapters.capacity import available
from conference.service_layer.payments import release_expired_holds
from convene_contracts import MEMBERSHIP
from tests.support import stripe as shapes
from tests.support.events import activated
from tests.support.kafka import produce
from tests.support.waiting import wait_until

from .conftest import OPERATOR, Conference, published, running
from .pages import signed_in_as


async def held(conference: Conference, capacity: int = 100) -> tuple[str, str, dict[str, Any]]:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=capacity)
    response = await conference.register(conference_id, [ticket])
    assert response.status_code == 201, response.text
    return conference_id, ticket, response.json()


async def test_register_then_pay_confirms_with_a_ticket_code_and_an_event(conference: Conference) -> None:
    _, _, registration = await held(conference)
    assert registration["status"] == "held"
    assert registration["amount_minor"] == 45000  # not a member
    registration_id = str(registration["registration_id"])
    [held_event] = await published("conference.registration_held", registration_id=registration_id)
    assert held_event.payload["checkout_url"] == registration["checkout_url"]
    # The pay link opens Stripe Checkout (stripe-mock's here) on the first visit, the same one after.
    link = urlsplit(registration["checkout_url"])
    assert link.path == f"/events/registrations/{registration_id}/checkout"
    first = await conference.client.get(f"{link.path}?{link.query}")
    assert first.status_code == 303
    assert first.headers["location"].startswith("https://")
    again = await conference.client.get(f"{link.path}?{link.query}")
    assert again.headers["location"] == first.headers["location"]
    stored = await conference.pool.fetchrow("SELECT * FROM registrations WHERE id = $1", UUID(registration_id))
    assert stored is not None
    assert (stored["checkout_url"], stored["checkout_session_id"][:3]) == (first.headers["location"], "cs_")

    paid = await conference.pay(registration_id, 45000)
    assert paid.json()["outcome"] == "confirmed"
    assert await conference.status(registration_id) == "confirmed"
    [confirmed] = await published("conference.registration_confirmed", registration_id=registration_id)
    [attendee] = confirmed.payload["attendees"]
    assert len(attendee["ticket_code"]) == 10


async def test_the_same_payment_webhook_three_times_confirms_once(conference: Conference) -> None:
    _, _, registration = await held(conference)
    registration_id = str(registration["registration_id"])
    session = shapes.checkout_session(
        {"convene_kind": "registration", "registration_id": registration_id}, amount=45000
    )
    event = shapes.event("checkout.session.completed", session)
    outcomes = [(await conference.stripe(event)).json()["outcome"] for _ in range(3)]
    assert outcomes == ["confirmed", "duplicate", "duplicate"]
    assert len(await published("conference.registration_confirmed", registration_id=registration_id, seconds=2)) == 1


async def test_a_webhook_with_a_bad_signature_gets_400_and_changes_nothing(conference: Conference) -> None:
    _, _, registration = await held(conference)
    registration_id = str(registration["registration_id"])
    session = shapes.checkout_session(
        {"convene_kind": "registration", "registration_id": registration_id}, amount=45000
    )
    body, headers = shapes.signed(shapes.event("checkout.session.completed", session), "whsec_not_ours")
    response = await conference.client.post("/stripe/webhook", content=body, headers=headers)
    assert response.status_code == 400
    assert await conference.status(registration_id) == "held"
    assert await conference.pool.fetchval("SELECT count(*) FROM stripe_events") == 0


async def test_an_expired_hold_gives_its_seat_back_once(conference: Conference) -> None:
    _, ticket, registration = await held(conference, capacity=1)
    registration_id = str(registration["registration_id"])
    async with conference.pool.acquire() as conn:
        assert await available(conn, UUID(ticket)) == 0
    later = datetime.now(UTC) + timedelta(minutes=16)
    assert await release_expired_holds(conference.deps, later) == 1
    assert await release_expired_holds(conference.deps, later) == 0
    assert await conference.status(registration_id) == "expired"
    async with conference.pool.acquire() as conn:
        assert await available(conn, UUID(ticket)) == 1
    assert len(await published("conference.hold_expired", registration_id=registration_id)) == 1


async def test_a_late_payment_is_confirmed_if_the_seat_is_still_free(conference: Conference) -> None:
    _, ticket, registration = await held(conference, capacity=5)
    registration_id = str(registration["registration_id"])
    await release_expired_holds(conference.deps, datetime.now(UTC) + timedelta(minutes=16))
    paid = await conference.pay(registration_id, 45000)
    assert paid.json()["outcome"] == "confirmed late"
    async with conference.pool.acquire() as conn:
        assert await available(conn, UUID(ticket)) == 4


async def test_a_late_payment_on_a_sold_out_conference_is_refunded_exactly_once(conference: Conference) -> None:
    conference_id, ticket, first = await held(conference, capacity=1)
    first_id = str(first["registration_id"])
    await release_expired_holds(conference.deps, datetime.now(UTC) + timedelta(minutes=16))
    second = await conference.register(conference_id, [ticket])  # someone else takes the freed seat
    assert second.status_code == 201

    session = shapes.checkout_session({"convene_kind": "registration", "registration_id": first_id}, amount=45000)
    late = shapes.event("checkout.session.completed", session)
    outcomes = [(await conference.stripe(late)).json()["outcome"] for _ in range(2)]
    retried = shapes.event("checkout.session.completed", session)  # Stripe's own retry: a new event id
    outcomes.append((await conference.stripe(retried)).json()["outcome"])

    assert outcomes == ["refunded", "duplicate", "ignored"]
    assert await conference.status(first_id) == "cancelled"
    [refund] = await published("conference.refund_issued", registration_id=first_id)
    assert refund.payload["refund_minor"] == 45000
    assert (
        await conference.pool.fetchval(
            "SELECT count(*) FROM registrations WHERE status <> 'cancelled' AND status <> 'expired'"
        )
        == 1
    )


async def test_a_free_ticket_is_confirmed_without_stripe(conference: Conference) -> None:
    conference_id = await conference.conference()
    comp = await conference.ticket_type(conference_id, member_price_minor=0, non_member_price_minor=0)
    response = await conference.register(conference_id, [comp])
    assert response.json()["status"] == "confirmed"
    assert response.json()["checkout_url"] is None


async def test_member_pricing_switches_on_when_membership_activated_arrives_from_kafka(
    conference: Conference,
) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id)
    email = f"member-{uuid4().hex[:8]}@example.org"
    before = await conference.register(conference_id, [ticket], email=email)
    assert before.json()["amount_minor"] == 45000

    await produce(MEMBERSHIP, activated(email=email).model_dump_json().encode())

    async def member_now() -> bool:
        answer = await conference.client.get("/member-pricing", params={"email": email}, headers=OPERATOR)
        return bool(answer.json()["member_pricing"])

    await wait_until(member_now)
    after = await conference.client.post(
        f"/conferences/{conference_id}/registrations",
        json={
            "payer_name": "Pat Payer",
            "payer_email": email,
            "attendees": [{"name": "Pat Payer", "email": email, "ticket_type_ids": [ticket]}],
        },
        headers=signed_in_as(conference, email),  # the member price needs the member signed in
    )
    assert after.json()["amount_minor"] == 30000


async def test_early_birds_and_add_ons_are_priced_together(conference: Conference) -> None:
    conference_id = await conference.conference()
    early = (datetime.now(UTC) + timedelta(days=10)).isoformat()
    main = await conference.ticket_type(conference_id, early_non_member_price_minor=40000, early_bird_until=early)
    workshop = await conference.ticket_type(
        conference_id, kind="addon", member_price_minor=5000, non_member_price_minor=7500
    )
    response = await conference.register(conference_id, [main, workshop])
    assert response.json()["amount_minor"] == 47500
    only_workshop = await conference.register(conference_id, [workshop])
    assert only_workshop.status_code == 422
    assert only_workshop.json()["detail"][0]["loc"] == ["body", "ticket_type_ids"]


@pytest.mark.parametrize("field", ["amount_minor", "status", "price_minor"])
async def test_a_client_cannot_set_its_own_price_or_status(conference: Conference, field: str) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id)
    smuggled: dict[str, Any] = {field: 0}
    response = await conference.register(conference_id, [ticket], **smuggled)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert await conference.pool.fetchval("SELECT count(*) FROM registrations") == 0


async def test_custom_questions_are_required_and_typed(conference: Conference) -> None:
    question = {"key": "role", "label": "Role", "type": "choice", "required": True, "choices": ["officer", "clinician"]}
    conference_id = await conference.conference(questions=[question])
    ticket = await conference.ticket_type(conference_id)
    missing = await conference.register(conference_id, [ticket])
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["body", "attendees", "0", "answers", "role"]
    body = {
        "payer_name": "P",
        "payer_email": "p@example.org",
        "attendees": [
            {"name": "P", "email": "p@example.org", "ticket_type_ids": [ticket], "answers": {"role": "clinician"}}
        ],
    }
    ok = await conference.client.post(f"/conferences/{conference_id}/registrations", json=body)
    assert ok.status_code == 201, ok.text


async def test_registration_opens_and_closes_at_exact_instants(conference: Conference) -> None:
    soon = datetime.now(UTC) + timedelta(hours=1)
    closes = soon + timedelta(days=1)
    conference_id = await conference.conference(
        registration_opens_at=soon.isoformat(), registration_closes_at=closes.isoformat()
    )
    ticket = await conference.ticket_type(conference_id)
    response = await conference.register(conference_id, [ticket])
    assert response.status_code == 422
    assert "not open" in response.json()["detail"][0]["msg"]


async def test_holds_are_rate_limited_per_client(database: str) -> None:
    async with running(database, rate_limit_per_minute=2) as conference:
        conference_id = await conference.conference()
        ticket = await conference.ticket_type(conference_id, member_price_minor=0, non_member_price_minor=0)
        codes = [(await conference.register(conference_id, [ticket])).status_code for _ in range(3)]
        assert codes == [201, 201, 429]


async def test_operator_endpoints_need_the_operator_token(conference: Conference) -> None:
    assert (await conference.client.post("/conferences", json={})).status_code == 401
    forged = await conference.client.post("/conferences", json={}, headers={"Authorization": "Bearer nope"})
    assert forged.status_code == 401


async def test_a_late_expired_notice_does_not_undo_a_confirmation(conference: Conference) -> None:
    _, ticket, registration = await held(conference, capacity=3)
    registration_id = str(registration["registration_id"])
    session = shapes.checkout_session(
        {"convene_kind": "registration", "registration_id": registration_id}, amount=45000
    )
    await conference.stripe(shapes.event("checkout.session.completed", session))
    expired = await conference.stripe(shapes.event("checkout.session.expired", session | {"status": "expired"}))
    assert expired.json()["outcome"] == "ignored"
    assert await conference.status(registration_id) == "confirmed"
    async with conference.pool.acquire() as conn:
        assert await available(conn, UUID(ticket)) == 2


async def test_a_draft_or_closed_conference_takes_no_registrations(conference: Conference) -> None:
    conference_id = await conference.conference(status="draft")
    ticket = await conference.ticket_type(conference_id)
    assert (await conference.register(conference_id, [ticket])).status_code == 422
    opened = await conference.client.post(
        f"/conferences/{conference_id}/status", json={"status": "open"}, headers=OPERATOR
    )
    assert opened.status_code == 204
    assert (await conference.register(conference_id, [ticket])).status_code == 201
    await conference.client.post(f"/conferences/{conference_id}/status", json={"status": "closed"}, headers=OPERATOR)
    assert (await conference.register(conference_id, [ticket])).status_code == 422


async def test_an_operator_comp_takes_a_real_seat_and_needs_no_payment(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=1)
    comp = await conference.client.post(
        f"/conferences/{conference_id}/comps",
        headers=OPERATOR,
        json={"name": "Keynote Speaker", "email": "keynote@example.org", "ticket_type_ids": [ticket]},
    )
    assert comp.status_code == 201, comp.text
    assert comp.json()["status"] == "confirmed"
    assert (await conference.register(conference_id, [ticket])).status_code == 409


async def test_seat_holders_count_as_members_until_the_organization_lapses(conference: Conference) -> None:
    from convene_contracts.membership import MembershipFacts, MembershipLapsed, SeatAssigned, SeatAssignedPayload

    agency = activated(email=f"contact-{uuid4().hex[:6]}@metro.example", level_name="Agency")
    officer = f"officer-{uuid4().hex[:6]}@metro.example"
    p = agency.payload
    seat = SeatAssigned(
        producer="membership",
        correlation_id=uuid4(),
        payload=SeatAssignedPayload(
            member_id=p.member_id,
            membership_id=p.membership_id,
            seat_id=uuid4(),
            email=officer,
            name="Officer",
            level_id=p.level_id,
            level_name=p.level_name,
        ),
    )
    facts = MembershipFacts(**p.model_dump(include=set(MembershipFacts.model_fields)))
    lapsed = MembershipLapsed(producer="membership", correlation_id=uuid4(), payload=facts)
    key = str(p.member_id).encode()

    async def pricing(email: str) -> bool:
        answer = await conference.client.get("/member-pricing", params={"email": email}, headers=OPERATOR)
        return bool(answer.json()["member_pricing"])

    for event in (agency, seat):
        await produce(MEMBERSHIP, event.model_dump_json().encode(), key=key)
    await wait_until(lambda: pricing(officer))
    await produce(MEMBERSHIP, lapsed.model_dump_json().encode(), key=key)

    async def lapsed_now() -> bool:
        return not await pricing(officer) and not await pricing(p.email)

    await wait_until(lapsed_now)


async def test_the_pay_link_of_an_ended_hold_opens_no_checkout(conference: Conference) -> None:
    _, _, registration = await held(conference)
    registration_id = UUID(str(registration["registration_id"]))
    await conference.pool.execute(
        "UPDATE registrations SET hold_expires_at = now() - interval '1 second' WHERE id = $1", registration_id
    )
    link = urlsplit(registration["checkout_url"])
    answer = await conference.client.get(f"{link.path}?{link.query}")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(f"/events/registrations/{registration_id}/pay?")
    stored = await conference.pool.fetchval(
        "SELECT checkout_session_id FROM registrations WHERE id = $1", registration_id
    )
    assert stored is None


async def test_when_stripe_does_not_answer_the_hold_stays_and_the_pay_page_says_try_again(database: str) -> None:
    async with running(database, stripe_api_base="http://127.0.0.1:9") as conference:  # nothing listens there
        _, _, registration = await held(conference)
        registration_id = UUID(str(registration["registration_id"]))
        link = urlsplit(registration["checkout_url"])
        answer = await conference.client.get(f"{link.path}?{link.query}")
        assert answer.status_code == 503
        assert "Stripe did not answer just now" in answer.text
        assert "Your places are still held" in answer.text
        assert await conference.status(str(registration_id)) == "held"
        assert (
            await conference.pool.fetchval(
                "SELECT checkout_session_id FROM registrations WHERE id = $1", registration_id
            )
            is None
        )

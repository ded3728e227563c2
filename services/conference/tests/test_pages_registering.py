"""Conference's public pages at the HTTP level: the conference page (prices, early bird, places
left, the waitlist for what sold out) and registering through the form: each question type,
groups without scripts, member prices, validation beside the fields, CSRF."""

import re
from datetime import UTC, datetime, timedelta

from markupsafe import escape

from convene_web.csrf import CSRF_COOKIE

from .conftest import Conference
from .pages import QUESTIONS, counts, csrf_of, member, path_of


async def form_of(conference: Conference, conference_id: str) -> str:
    page = await conference.client.get(f"/events/{conference_id}/register")
    assert page.status_code == 200, page.text
    return csrf_of(page)


def answers(ticket: str, **overrides: str) -> dict[str, str]:
    return {
        "attendees": "1",
        "a0_name": "Ada Lovelace",
        "a0_email": "ada@example.org",
        "a0_ticket": ticket,
        "a0_q_role": "Dispatcher",
        "a0_q_first_time": "no",
    } | overrides


async def test_the_conference_page_shows_prices_the_early_bird_places_left_and_the_waitlist(
    conference: Conference,
) -> None:
    conference_id = await conference.conference(name="CIT International 2027")
    until = datetime.now(UTC) + timedelta(days=10)
    await conference.ticket_type(
        conference_id,
        name="Full conference",
        capacity=50,
        early_bird_until=until.isoformat(),
        early_member_price_minor=25000,
        early_non_member_price_minor=40000,
    )
    one_day = await conference.ticket_type(
        conference_id, name="One day", capacity=1, member_price_minor=10000, non_member_price_minor=15000
    )
    assert (await conference.register(conference_id, [one_day])).status_code == 201  # the only place

    listing = await conference.client.get("/events")
    assert listing.status_code == 200
    assert f'href="/events/{conference_id}"' in listing.text
    page = await conference.client.get(f"/events/{conference_id}")
    assert page.status_code == 200
    html = page.text
    for price in ("300.00 USD", "450.00 USD", "250.00 USD", "400.00 USD", "100.00 USD", "150.00 USD"):
        assert price in html
    assert "Early bird until" in html
    assert "50 places left" in html
    assert "Sold out — join the waitlist" in html
    assert f'action="/events/{conference_id}/waitlist"' in html
    assert "Full refund if you cancel before" in html
    assert (await conference.client.get("/events/00000000-0000-0000-0000-000000000000")).status_code == 404


async def test_a_draft_conference_is_not_shown(conference: Conference) -> None:
    conference_id = await conference.conference(status="draft")
    assert (await conference.client.get(f"/events/{conference_id}")).status_code == 404
    assert conference_id not in (await conference.client.get("/events")).text


async def test_the_form_asks_each_of_the_conferences_questions_by_its_type(conference: Conference) -> None:
    conference_id = await conference.conference(questions=QUESTIONS)
    ticket = await conference.ticket_type(conference_id)
    await conference.ticket_type(
        conference_id,
        name="De-escalation workshop",
        kind="addon",
        capacity=20,
        member_price_minor=5000,
        non_member_price_minor=7500,
    )
    page = await conference.client.get(f"/events/{conference_id}/register")
    html = page.text
    assert re.search(r'id="f-a0_q_dietary" name="a0_q_dietary" type="text"', html)
    for choice in ("Officer", "Dispatcher", "Clinician"):
        assert f'name="a0_q_role" value="{choice}"' in html
    assert 'name="a0_q_first_time" value="yes"' in html
    assert 'name="a0_q_first_time" value="no"' in html
    assert f'name="a0_ticket" value="{ticket}" checked' in html  # the only main ticket is chosen already
    assert "De-escalation workshop" in html
    assert 'type="checkbox"' in html


async def test_registering_holds_the_places_and_shows_the_payment_page_with_the_hold_time(
    conference: Conference,
) -> None:
    conference_id = await conference.conference(questions=QUESTIONS)
    ticket = await conference.ticket_type(conference_id)
    token = await form_of(conference, conference_id)
    sent = await conference.client.post(
        f"/events/{conference_id}/register", data=answers(ticket) | {"csrf_token": token}
    )
    assert sent.status_code == 303, sent.text
    assert re.match(r"^/events/registrations/[0-9a-f-]+/pay\?token=[0-9a-f]{32}$", sent.headers["location"])
    pay = await conference.client.get(sent.headers["location"])
    assert pay.status_code == 200
    assert "Pay 450.00 USD with Stripe" in pay.text
    assert re.search(r'<time data-countdown datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"', pay.text)
    pay_link = sent.headers["location"].replace("/pay?", "/checkout?")
    assert f'href="{escape(pay_link)}"' in pay.text
    to_stripe = await conference.client.get(pay_link)
    assert to_stripe.status_code == 303
    assert to_stripe.headers["location"] == await conference.pool.fetchval("SELECT checkout_url FROM registrations")
    answers_kept = await conference.pool.fetchval("SELECT answers::text FROM attendees")
    assert '"role": "Dispatcher"' in answers_kept
    assert '"first_time": false' in answers_kept


async def test_a_signed_in_member_finds_their_address_filled_in_and_pays_the_member_price(
    conference: Conference,
) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id)
    email = await member(conference)
    form = await conference.client.get(f"/events/{conference_id}/register")
    assert f'value="{email}"' in form.text
    assert "Member prices apply" in form.text
    sent = await conference.client.post(
        f"/events/{conference_id}/register",
        data={
            "csrf_token": csrf_of(form),
            "attendees": "1",
            "a0_name": "Ada Member",
            "a0_email": email,
            "a0_ticket": ticket,
        },
    )
    pay = await conference.client.get(sent.headers["location"])
    assert "Pay 300.00 USD with Stripe" in pay.text
    assert "(member price)" in pay.text


async def test_invalid_input_comes_back_with_400_messages_beside_the_fields_and_nothing_written(
    conference: Conference,
) -> None:
    conference_id = await conference.conference(questions=QUESTIONS)
    ticket = await conference.ticket_type(conference_id)
    token = await form_of(conference, conference_id)
    before = await counts(conference)
    sent = await conference.client.post(
        f"/events/{conference_id}/register",
        data=answers(
            ticket,
            a0_name=" ",
            a0_email="ada<at>example.org",
            a0_q_role="",
            a0_q_dietary="Vegetarian",
        )
        | {"csrf_token": token},
    )
    assert sent.status_code == 400
    html = sent.text
    assert 'id="f-a0_name-error"' in html
    assert "Enter the full name of the attendee" in html
    assert "Enter the email address of the attendee in the right format" in html
    assert 'id="f-a0_q_role-error"' in html
    assert "Answer “Your role” for the attendee" in html
    assert re.search(r'id="f-a0_email"[^>]*value="ada&lt;at&gt;example.org"[^>]*aria-invalid="true"', html)
    assert 'value="Vegetarian"' in html  # what was right stays
    assert 'name="a0_q_first_time" value="no" checked' in html
    assert await counts(conference) == before


async def test_a_discount_code_the_conference_does_not_have_is_named_beside_its_field(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id)
    token = await form_of(conference, conference_id)
    before = await counts(conference)
    sent = await conference.client.post(
        f"/events/{conference_id}/register",
        data={
            "csrf_token": token,
            "attendees": "1",
            "a0_name": "Ada",
            "a0_email": "ada@example.org",
            "a0_ticket": ticket,
            "discount_code": "NOPE",
        },
    )
    assert sent.status_code == 400
    assert 'id="f-discount_code-error"' in sent.text
    assert "No such code for this conference" in sent.text
    assert 'value="NOPE"' in sent.text
    assert await counts(conference) == before


async def test_a_group_grows_and_shrinks_without_scripts_and_keeps_what_was_typed(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id)
    token = await form_of(conference, conference_id)
    first = {
        "csrf_token": token,
        "attendees": "1",
        "a0_name": "Ada",
        "a0_email": "ada@example.org",
        "a0_ticket": ticket,
    }
    grown = await conference.client.post(f"/events/{conference_id}/register/attendees", data=first | {"change": "add"})
    assert grown.status_code == 200
    assert 'name="attendees" value="2"' in grown.text
    assert 'id="f-a1_name"' in grown.text
    assert 'value="Ada"' in grown.text
    both = first | {"attendees": "2", "a1_name": "Grace", "a1_email": "grace@example.org", "a1_ticket": ticket}
    shrunk = await conference.client.post(
        f"/events/{conference_id}/register/attendees", data=both | {"change": "remove-0"}
    )
    assert 'name="attendees" value="1"' in shrunk.text
    assert re.search(r'id="f-a0_name"[^>]*value="Grace"', shrunk.text)
    assert await counts(conference) == (0, 0, 0)

    sent = await conference.client.post(f"/events/{conference_id}/register", data=both)
    assert sent.status_code == 303
    pay = await conference.client.get(sent.headers["location"])
    assert "Pay 900.00 USD with Stripe" in pay.text
    assert "Grace" in pay.text


async def test_a_free_registration_goes_straight_to_the_confirmed_registration(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, member_price_minor=0, non_member_price_minor=0)
    token = await form_of(conference, conference_id)
    sent = await conference.client.post(
        f"/events/{conference_id}/register",
        data={
            "csrf_token": token,
            "attendees": "1",
            "a0_name": "Ada",
            "a0_email": "ada@example.org",
            "a0_ticket": ticket,
        },
    )
    assert "/pay" not in sent.headers["location"]
    page = await conference.client.get(path_of(sent.headers["location"]))
    assert "You are registered" in page.text
    assert 'src="data:image/png;base64,' in page.text


async def test_a_sold_out_ticket_takes_names_for_its_waitlist(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, name="Full conference", capacity=1)
    await conference.register(conference_id, [ticket])
    page = await conference.client.get(f"/events/{conference_id}")
    before = await counts(conference)
    refused = await conference.client.post(
        f"/events/{conference_id}/waitlist",
        data={
            "csrf_token": csrf_of(page),
            "ticket_type": ticket,
            "name": "Wai Ting",
            "email": "not-an-address",
        },
    )
    assert refused.status_code == 400
    assert 'id="f-email-error"' in refused.text
    assert await counts(conference) == before

    joined = await conference.client.post(
        f"/events/{conference_id}/waitlist",
        data={
            "csrf_token": csrf_of(page),
            "ticket_type": ticket,
            "name": "Wai Ting",
            "email": "wai@example.org",
        },
    )
    assert joined.status_code == 303
    done = await conference.client.get(joined.headers["location"])
    assert "You are on the waitlist" in done.text
    again = await conference.client.post(
        f"/events/{conference_id}/waitlist",
        data={
            "csrf_token": csrf_of(page),
            "ticket_type": ticket,
            "name": "Wai Ting",
            "email": "wai@example.org",
        },
    )
    assert again.status_code == 400
    assert "This person is on this waitlist already" in again.text


async def test_the_registration_and_waitlist_forms_refuse_posts_without_the_csrf_pair(conference: Conference) -> None:
    conference_id = await conference.conference()
    ticket = await conference.ticket_type(conference_id, capacity=1)
    await form_of(conference, conference_id)
    before = await counts(conference)
    register = {"attendees": "1", "a0_name": "Ada", "a0_email": "ada@example.org", "a0_ticket": ticket}
    waitlist = {"ticket_type": ticket, "name": "Ada", "email": "ada@example.org"}
    posts = [
        (f"/events/{conference_id}/register", register),
        (f"/events/{conference_id}/waitlist", waitlist),
        (f"/events/{conference_id}/register/attendees", register | {"change": "add"}),
    ]
    for path, body in posts:
        assert (await conference.client.post(path, data=body)).status_code == 403
        assert (await conference.client.post(path, data=body | {"csrf_token": "f" * 64})).status_code == 403
    conference.client.cookies.delete(CSRF_COOKIE)
    refused = await conference.client.post(posts[0][0], data=register | {"csrf_token": "f" * 64})
    assert refused.status_code == 403
    assert "Nothing was saved" in refused.text
    assert await counts(conference) == before

"""Membership's pages at the HTTP level: levels, the join form (validation, kept input, CSRF),
the return page, signing in with the emailed link, and who may see which page."""

import re
from typing import Any
from uuid import uuid4

from convene_web.csrf import CSRF_COOKIE
from convene_web.sessions import SESSION_COOKIE

from .conftest import Membership, csrf_of, sign_in_url


async def join_form(membership: Membership, level: dict[str, Any]) -> str:
    page = await membership.client.get("/membership/join", params={"level": level["id"]})
    assert page.status_code == 200
    return csrf_of(page)


async def counts(membership: Membership) -> tuple[int, int]:
    members = await membership.pool.fetchval("SELECT count(*) FROM members")
    memberships = await membership.pool.fetchval("SELECT count(*) FROM memberships")
    return members, memberships


async def test_the_levels_page_shows_each_level_with_its_price_and_what_it_includes(membership: Membership) -> None:
    level = await membership.level(name="Individual", price_minor=7500, description="Journal and conference rate")
    await membership.level(name="Agency", price_minor=50000, kind="organizational", seat_count=10, currency="cad")
    page = await membership.client.get("/membership/levels")
    assert page.status_code == 200
    assert "75.00 USD a year" in page.text
    assert "500.00 CAD a year" in page.text
    assert "Journal and conference rate" in page.text
    assert "with 10 seats" in page.text
    assert f'href="/membership/join?level={level["id"]}"' in page.text


async def test_joining_through_the_form_sends_the_applicant_to_stripe_checkout(membership: Membership) -> None:
    level = await membership.level()
    token = await join_form(membership, level)
    answer = await membership.client.post(
        "/membership/join",
        data={
            "csrf_token": token,
            "level": level["id"],
            "name": "Ada Lovelace",
            "email": "Ada@Example.org",
        },
    )
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("http")  # stripe-mock's Checkout address
    status = await membership.pool.fetchval(
        "SELECT m.status FROM memberships m JOIN members p ON p.id = m.member_id WHERE p.email = 'ada@example.org'"
    )
    assert status == "pending"


async def test_invalid_input_comes_back_with_400_messages_beside_the_fields_and_the_input_kept(
    membership: Membership,
) -> None:
    level = await membership.level()
    token = await join_form(membership, level)
    before = await counts(membership)
    answer = await membership.client.post(
        "/membership/join",
        data={
            "csrf_token": token,
            "level": level["id"],
            "name": "  ",
            "email": "ada<at>example.org",
        },
    )
    assert answer.status_code == 400
    html = answer.text
    assert 'id="f-name-error"' in html
    assert "Enter your full name" in html
    assert "Enter an email address in the right format" in html
    assert re.search(
        r'id="f-email"[^>]*value="ada&lt;at&gt;example.org"[^>]*aria-describedby="f-email-hint '
        r'f-email-error" aria-invalid="true"',
        html,
    )
    assert re.search(rf'value="{level["id"]}" checked', html)  # the chosen level stays chosen
    assert await counts(membership) == before


async def test_an_unknown_level_is_named_beside_the_level_choice_and_writes_nothing(membership: Membership) -> None:
    token = await join_form(membership, await membership.level())
    before = await counts(membership)
    answer = await membership.client.post(
        "/membership/join",
        data={
            "csrf_token": token,
            "level": str(uuid4()),
            "name": "Ada",
            "email": "ada@example.org",
        },
    )
    assert answer.status_code == 400
    assert 'id="f-level-error"' in answer.text
    assert await counts(membership) == before


async def test_a_join_post_without_the_csrf_pair_gets_403_and_writes_nothing(membership: Membership) -> None:
    level = await membership.level()
    await join_form(membership, level)
    before = await counts(membership)
    body = {"level": level["id"], "name": "Ada", "email": "ada@example.org"}
    without = await membership.client.post("/membership/join", data=body)
    forged = await membership.client.post("/membership/join", data=body | {"csrf_token": "f" * 64})
    membership.client.cookies.delete(CSRF_COOKIE)
    no_cookie = await membership.client.post("/membership/join", data=body | {"csrf_token": "f" * 64})
    assert [r.status_code for r in (without, forged, no_cookie)] == [403, 403, 403]
    assert "Nothing was saved" in without.text
    assert await counts(membership) == before


async def test_the_return_page_turns_into_you_are_a_member_once_the_webhook_lands(membership: Membership) -> None:
    joined = await membership.join(await membership.level(name="Student"))
    membership_id = joined["membership"]["id"]
    waiting = await membership.client.get(f"/membership/joined/{membership_id}")
    assert waiting.status_code == 200
    assert re.search(
        r'<section class="panel panel-waiting" data-when="pending">\s*<h2>Payment received, being '
        r"confirmed",
        waiting.text,
    )
    assert (await membership.client.get(f"/membership/joined/{membership_id}/status")).json() == {"status": "pending"}

    await membership.pay(joined)
    assert (await membership.client.get(f"/membership/joined/{membership_id}/status")).json() == {"status": "active"}
    member = await membership.client.get(f"/membership/joined/{membership_id}")
    assert re.search(
        r'<section class="panel" data-when="active past_due in_grace">\s*<h2>You are a member', member.text
    )
    assert "Your Student membership is active until" in member.text
    assert (await membership.client.get(f"/membership/joined/{uuid4()}")).status_code == 404


async def test_a_member_signs_in_from_the_emailed_link_once(membership: Membership) -> None:
    email = f"link-{uuid4().hex[:6]}@example.org"
    await membership.pay(await membership.join(await membership.level(), email=email))
    form = await membership.client.get("/membership/sign-in")
    sent = await membership.client.post("/membership/sign-in", data={"csrf_token": csrf_of(form), "email": email})
    assert sent.status_code == 200
    assert "Check your email" in sent.text
    url = await sign_in_url(email)
    assert url.startswith("https://members.cit.example/membership/sign-in/")
    path = url.removeprefix("https://members.cit.example")

    button = await membership.client.get(path)  # a mail scanner's GET uses nothing up
    assert button.status_code == 200
    button = await membership.client.get(path)
    signed_in = await membership.client.post(path, data={"csrf_token": csrf_of(button), "next": ""})
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/membership/me"
    cookie = next(h for h in signed_in.headers.get_list("set-cookie") if h.startswith(f"{SESSION_COOKIE}=")).lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    me = await membership.client.get("/membership/me")
    assert me.status_code == 200
    assert email in me.text
    assert "Active" in me.text

    again = await membership.client.post(path, data={"csrf_token": csrf_of(button)})
    assert again.status_code == 400
    assert "This sign-in link does not work" in again.text


async def test_a_sign_in_request_with_a_bad_address_is_refused_beside_the_field(membership: Membership) -> None:
    form = await membership.client.get("/membership/sign-in")
    refused = await membership.client.post("/membership/sign-in", data={"csrf_token": csrf_of(form), "email": "x"})
    assert refused.status_code == 400
    assert 'id="f-email-error"' in refused.text
    assert await membership.pool.fetchval("SELECT count(*) FROM sign_in_links") == 0


async def test_a_members_session_never_opens_an_operator_page(membership: Membership) -> None:
    email = f"member-{uuid4().hex[:6]}@example.org"
    await membership.pay(await membership.join(await membership.level(), email=email))
    assert (await membership.client.get("/membership/operator")).status_code == 303  # anonymous: sign in first
    form = await membership.client.get("/membership/sign-in")
    await membership.client.post("/membership/sign-in", data={"csrf_token": csrf_of(form), "email": email})
    path = (await sign_in_url(email)).removeprefix("https://members.cit.example")
    await membership.client.post(path, data={"csrf_token": csrf_of(await membership.client.get(path))})
    refused = await membership.client.get("/membership/operator")
    assert refused.status_code == 403
    assert "Operators only" in refused.text


async def test_a_member_page_without_a_session_goes_to_sign_in_and_the_link_leads_back(membership: Membership) -> None:
    sent = await membership.client.get("/membership/me")
    assert sent.status_code == 303
    assert sent.headers["location"] == (
        "https://members.cit.example/membership/sign-in?next=https%3A%2F%2Fmembers.cit.example%2Fmembership%2Fme"
    )
    email = f"back-{uuid4().hex[:6]}@example.org"
    await membership.pay(await membership.join(await membership.level(), email=email))
    form = await membership.client.get("/membership/sign-in", params={"next": "https://members.cit.example/x"})
    await membership.client.post(
        "/membership/sign-in",
        data={
            "csrf_token": csrf_of(form),
            "email": email,
            "next": "https://members.cit.example/x",
        },
    )
    url = await sign_in_url(email)
    assert url.endswith("?next=https%3A%2F%2Fmembers.cit.example%2Fx")

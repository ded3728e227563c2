"""The session cookie's flags, sign-in as an operator, and who may see which page."""

import time
from uuid import uuid4

import httpx
import pytest

from convene_contracts.membership import StaffRole
from convene_service.rate_limits import RateLimits
from convene_web.sessions import SESSION_COOKIE, Session, is_safe_next, signed

from .conftest import STAFF_EMAIL, STAFF_PASSWORD, Notes, notes_app, web_settings
from .test_forms_and_csrf import hidden_token, set_cookie


def member_cookie(expires_in: int = 3600, **overrides: object) -> str:
    session = Session("member", uuid4(), "ada@example.org", int(time.time()) + expires_in)
    return signed(web_settings(**overrides), session)


async def sign_in_as_operator(
    client: httpx.AsyncClient, password: str = STAFF_PASSWORD, next: str = "", email: str = STAFF_EMAIL
) -> httpx.Response:
    csrf = hidden_token((await client.get("/things/operator/sign-in")).text)
    form = {"csrf_token": csrf, "email": email, "password": password, "code": "", "next": next}
    return await client.post("/things/operator/sign-in", data=form)


async def test_a_staff_member_signs_in_with_an_httponly_lax_secure_cookie(client: httpx.AsyncClient) -> None:
    signed_in = await sign_in_as_operator(client)
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/things/operator"
    flags = {p.strip() for p in set_cookie(signed_in, SESSION_COOKIE).lower().split(";")}
    assert {"httponly", "secure", "samesite=lax", "path=/", "max-age=43200"} <= flags
    assert (await client.get("/things/operator/secrets")).json() == {"kind": "operator"}


async def test_without_cookie_secure_the_cookie_works_over_plain_http(limits: RateLimits) -> None:
    app = notes_app(web_settings(cookie_secure=False), limits).app
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1") as client:
        signed_in = await sign_in_as_operator(client)
        assert "secure" not in set_cookie(signed_in, SESSION_COOKIE).lower()
        assert (await client.get("/things/operator/secrets")).status_code == 200


async def test_a_wrong_password_is_refused_beside_the_field_and_never_echoed(client: httpx.AsyncClient) -> None:
    refused = await sign_in_as_operator(client, password="guess-0123456789")
    assert refused.status_code == 400
    assert "do not match a staff account" in refused.text
    assert 'id="f-password-error"' in refused.text
    assert "guess-0123456789" not in refused.text
    assert STAFF_EMAIL in refused.text  # the address stays in its field; the password never does
    assert SESSION_COOKIE not in refused.headers.get("set-cookie", "")


async def test_operator_sign_in_is_rate_limited(client: httpx.AsyncClient) -> None:
    answers = [(await sign_in_as_operator(client, password="wrong-password")).status_code for _ in range(6)]
    assert answers == [400] * 5 + [429]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\t/evil.example", "javascript:x"])
async def test_sign_in_never_sends_anyone_to_another_site(client: httpx.AsyncClient, target: str) -> None:
    signed_in = await sign_in_as_operator(client, next=target)
    assert signed_in.headers["location"] == "/things/operator"


def test_our_own_pages_are_safe_places_to_return_to() -> None:
    settings = web_settings(conference_pages_url="http://127.0.0.1:8002")
    assert is_safe_next(settings, "/things/operator?x=1")
    assert is_safe_next(settings, "http://127.0.0.1:8002/events/1")
    assert not is_safe_next(settings, "http://127.0.0.1:8002@evil.example/events")


async def test_an_operator_page_answers_a_members_session_with_403(client: httpx.AsyncClient) -> None:
    client.cookies.set(SESSION_COOKIE, member_cookie(), domain="pages.example")
    refused = await client.get("/things/operator/secrets")
    assert refused.status_code == 403
    assert "Operators only" in refused.text
    assert (await client.get("/things/operator")).status_code == 403  # the default operator home too


async def test_an_operator_page_sends_a_visitor_without_session_to_operator_sign_in(client: httpx.AsyncClient) -> None:
    sent = await client.get("/things/operator/secrets?x=1")
    assert sent.status_code == 303
    assert sent.headers["location"] == "/things/operator/sign-in?next=%2Fthings%2Foperator%2Fsecrets%3Fx%3D1"


async def test_a_member_page_sends_others_to_the_membership_sign_in_and_back(client: httpx.AsyncClient) -> None:
    sent = await client.get("/things/mine")
    assert sent.status_code == 303
    assert sent.headers["location"] == (
        "http://127.0.0.1:8001/membership/sign-in?next=https%3A%2F%2Fpages.example%2Fthings%2Fmine"
    )
    await sign_in_as_operator(client)
    assert (await client.get("/things/mine")).status_code == 303  # an operator is not a member
    client.cookies.set(SESSION_COOKIE, member_cookie(), domain="pages.example")
    assert (await client.get("/things/mine")).json() == {"email": "ada@example.org"}


@pytest.mark.parametrize(
    "cookie",
    [member_cookie(expires_in=-1), member_cookie(session_secret="another-secret-0123456789-0123456789"), "garbage"],
    ids=["expired", "signed-with-another-secret", "garbage"],
)
async def test_an_expired_or_forged_session_counts_as_none(client: httpx.AsyncClient, cookie: str) -> None:
    client.cookies.set(SESSION_COOKIE, cookie, domain="pages.example")
    assert (await client.get("/things/mine")).status_code == 303


async def test_signing_out_clears_the_cookie(client: httpx.AsyncClient) -> None:
    await sign_in_as_operator(client)
    page = await client.get("/things/operator")
    out = await client.post("/things/sign-out", data={"csrf_token": hidden_token(page.text)})
    assert out.status_code == 303
    assert out.headers["location"] == "/things/signed-out"
    assert (await client.get("/things/operator/secrets")).status_code == 303


async def test_a_revoked_staff_session_is_sent_to_sign_in_again(client: httpx.AsyncClient, notes: Notes) -> None:
    await sign_in_as_operator(client)
    assert (await client.get("/things/operator/secrets")).status_code == 200
    notes.app.state.runtime.staff.revoked = True  # what the directory says once the event arrived
    sent = await client.get("/things/operator/secrets")
    assert sent.status_code == 303
    assert sent.headers["location"].startswith("/things/operator/sign-in?next=")


async def test_a_staff_member_whose_role_the_page_does_not_allow_gets_403(
    client: httpx.AsyncClient, notes: Notes
) -> None:
    await sign_in_as_operator(client)
    notes.app.state.runtime.staff_roles = {("GET", "/things/operator/secrets"): frozenset({StaffRole.READ_ONLY})}
    refused = await client.get("/things/operator/secrets")
    assert refused.status_code == 403
    assert "Not for your role" in refused.text
    assert "owner staff" in refused.text


async def test_where_staff_do_not_live_sign_in_is_sent_to_membership_and_back(notes: Notes) -> None:
    notes.app.state.runtime.pages.sign_in_staff = None  # conference and notifications
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=notes.app), base_url="https://pages.example") as c:
        sent = await c.get("/things/operator/sign-in?next=/things/operator/secrets")
        assert sent.status_code == 303
        assert sent.headers["location"] == (
            "http://127.0.0.1:8001/membership/operator/sign-in"
            "?next=https%3A%2F%2Fpages.example%2Fthings%2Foperator%2Fsecrets"
        )
        elsewhere = await c.get("/things/operator/sign-in?next=https://evil.example/")
        assert "evil" not in elsewhere.headers["location"]

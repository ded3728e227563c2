"""Every form post needs the signed double-submit pair; a bad one gets a 403 page and writes nothing."""

import re

import httpx

from convene_web.csrf import CSRF_COOKIE

from .conftest import Notes


def hidden_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', html)
    assert found, "the form has no CSRF field"
    return found[1]


def set_cookie(response: httpx.Response, name: str) -> str:
    [header] = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    return header


async def test_a_form_gets_a_strict_httponly_csrf_cookie_and_the_matching_hidden_field(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/things/notes")
    assert page.status_code == 200
    cookie = set_cookie(page, CSRF_COOKIE).lower()
    assert {"httponly", "secure", "samesite=strict", "path=/"} <= {p.strip() for p in cookie.split(";")}
    hidden_token(page.text)


async def test_a_post_with_the_pair_is_accepted(client: httpx.AsyncClient, notes: Notes) -> None:
    token = hidden_token((await client.get("/things/notes")).text)
    saved = await client.post("/things/notes", data={"csrf_token": token, "note": "Hello"})
    assert saved.status_code == 303
    assert notes.saved == ["Hello"]


async def test_a_post_without_a_valid_pair_gets_a_403_page_and_writes_nothing(
    client: httpx.AsyncClient, notes: Notes
) -> None:
    token = hidden_token((await client.get("/things/notes")).text)
    without_field = await client.post("/things/notes", data={"note": "Hello"})
    forged_field = await client.post("/things/notes", data={"csrf_token": "0" * 64, "note": "Hello"})
    as_json = await client.post("/things/notes", json={"csrf_token": token, "note": "Hello"})
    client.cookies.delete(CSRF_COOKIE)
    without_cookie = await client.post("/things/notes", data={"csrf_token": token, "note": "Hello"})
    client.cookies.set(CSRF_COOKIE, "planted-by-someone-else", domain="pages.example")
    planted_cookie = await client.post("/things/notes", data={"csrf_token": token, "note": "Hello"})
    for refused in (without_field, forged_field, as_json, without_cookie, planted_cookie):
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("text/html")
        assert "Nothing was saved" in refused.text
    assert notes.saved == []


async def test_a_token_from_another_secret_is_refused(client: httpx.AsyncClient, notes: Notes) -> None:
    from convene_web.csrf import _mac

    await client.get("/things/notes")
    cookie = client.cookies[CSRF_COOKIE]
    refused = await client.post("/things/notes", data={"csrf_token": _mac("another-secret" * 3, cookie), "note": "Hi"})
    assert refused.status_code == 403
    assert notes.saved == []


async def test_invalid_input_comes_back_with_400_the_message_beside_the_field_and_the_input_kept(
    client: httpx.AsyncClient, notes: Notes
) -> None:
    token = hidden_token((await client.get("/things/notes")).text)
    invalid = await client.post("/things/notes", data={"csrf_token": token, "note": "<b>x"[:1]})
    assert invalid.status_code == 400
    assert invalid.text.count("Write a note of 2 to 50 characters") == 2  # summary and beside the field
    assert 'aria-invalid="true"' in invalid.text
    assert 'aria-describedby="f-note-hint f-note-error"' in invalid.text
    assert 'value="&lt;"' in invalid.text  # kept, and escaped
    assert "<title>Error: Notes" in invalid.text
    assert notes.saved == []

"""Staff accounts in membership (docs/staff.md): the bootstrap token creates the first owner and
nothing else, owners add staff and issue API tokens, each role is allowed and refused what the map
says, and a revoked token, a removed person or a new role is refused on the very next request."""

import hashlib
import re
from typing import Any
from uuid import uuid4

import pyotp
import pytest

from convene_web.sessions import SESSION_COOKIE
from tests.support.staff import OWNER_ID

from .conftest import OPERATOR, OPERATOR_TOKEN, Membership, arrive_signed_in, csrf_of, published, running

BOOTSTRAP = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}
PASSWORD = "correct-horse-battery-staple"


async def add_staff(membership: Membership, role: str) -> tuple[dict[str, Any], dict[str, str]]:
    """A staff member added by the owner, and the headers of an API token the owner issued them."""
    body = {"email": f"{role}-{uuid4().hex[:6]}@cit.example", "name": f"Sam {role}", "role": role, "password": PASSWORD}
    added = await membership.client.post("/staff", json=body, headers=OPERATOR)
    assert added.status_code == 201, added.text
    staff: dict[str, Any] = added.json()
    issued = await membership.client.post(f"/staff/{staff['id']}/api-tokens", json={"label": "tests"}, headers=OPERATOR)
    assert issued.status_code == 201, issued.text
    return staff, {"Authorization": f"Bearer {issued.json()['token']}"}


async def test_the_bootstrap_token_creates_the_first_owner_and_nothing_else(database: str) -> None:
    async with running(database, seed_owner=False) as membership:
        level = {"name": "Individual", "price_minor": 7500, "currency": "usd", "term": "annual"}
        assert (await membership.client.post("/levels", json=level, headers=BOOTSTRAP)).status_code == 401
        owner = {"email": "Ada@CIT.example", "name": "Ada Owner", "password": PASSWORD}
        assert (await membership.client.post("/staff/first-owner", json=owner)).status_code == 401

        created = await membership.client.post("/staff/first-owner", json=owner, headers=BOOTSTRAP)
        assert created.status_code == 201, created.text
        answer = created.json()
        assert answer["staff"] | {"id": None} == {
            "id": None,
            "email": "ada@cit.example",
            "name": "Ada Owner",
            "role": "owner",
            "active": True,
            "second_step": False,
        }
        token = answer["api_token"]["token"]
        stored = await membership.pool.fetchval("SELECT token_sha256 FROM staff_credentials")
        assert stored == hashlib.sha256(token.encode()).digest()  # only the hash is kept
        assert PASSWORD not in str(await membership.pool.fetchval("SELECT password_hash FROM staff"))
        as_owner = {"Authorization": f"Bearer {token}"}
        assert (await membership.client.post("/levels", json=level, headers=as_owner)).status_code == 201

        again = await membership.client.post("/staff/first-owner", json=owner | {"email": "b@x.org"}, headers=BOOTSTRAP)
        assert again.status_code == 409
        assert (await membership.client.get("/staff", headers=BOOTSTRAP)).status_code == 401
        await published("membership.staff_changed", staff_id=answer["staff"]["id"], role="owner", active=True)


ALLOWED = {  # what each role may do in membership's API, by a request that changes or reads
    "owner": {"add level", "search members", "list staff"},
    "membership_staff": {"add level", "search members"},
    "read_only": {"search members"},
    "event_staff": set(),
    "check_in": set(),
}


@pytest.mark.parametrize("role", list(ALLOWED))
async def test_each_role_is_allowed_and_refused_what_the_map_says(membership: Membership, role: str) -> None:
    _, headers = await add_staff(membership, role)
    level = {"name": f"Level {uuid4().hex[:6]}", "price_minor": 100, "currency": "usd", "term": "annual"}
    answers = {
        "add level": await membership.client.post("/levels", json=level, headers=headers),
        "search members": await membership.client.get("/members", headers=headers),
        "list staff": await membership.client.get("/staff", headers=headers),
    }
    success = {"add level": 201, "search members": 200, "list staff": 200}
    assert {a: r.status_code for a, r in answers.items()} == {
        a: success[a] if a in ALLOWED[role] else 403 for a in answers
    }
    for refused in (r for a, r in answers.items() if a not in ALLOWED[role]):
        assert role in refused.json()["detail"]  # says which role was refused


async def test_only_owners_manage_staff_and_others_only_their_own_tokens(membership: Membership) -> None:
    other, _ = await add_staff(membership, "read_only")
    me, headers = await add_staff(membership, "membership_staff")
    body = {"email": "x@cit.example", "name": "X", "role": "owner", "password": PASSWORD}
    assert (await membership.client.post("/staff", json=body, headers=headers)).status_code == 403
    assert (
        await membership.client.patch(f"/staff/{me['id']}", json={"role": "owner"}, headers=headers)
    ).status_code == 403
    mine = await membership.client.post(f"/staff/{me['id']}/api-tokens", json={"label": "laptop"}, headers=headers)
    assert mine.status_code == 201
    theirs = await membership.client.post(f"/staff/{other['id']}/api-tokens", json={"label": "x"}, headers=headers)
    assert theirs.status_code == 403
    listed = await membership.client.get(f"/staff/{me['id']}/credentials", headers=headers)
    assert {c["label"] for c in listed.json()} == {"tests", "laptop"}
    assert all("token" not in c for c in listed.json())


async def test_a_revoked_token_or_a_removed_person_is_refused_on_the_next_request(membership: Membership) -> None:
    staff, headers = await add_staff(membership, "membership_staff")
    assert (await membership.client.get("/members", headers=headers)).status_code == 200
    [credential] = (await membership.client.get(f"/staff/{staff['id']}/credentials", headers=headers)).json()
    revoked = await membership.client.post(f"/staff/credentials/{credential['id']}/revoke", headers=OPERATOR)
    assert revoked.status_code == 200
    assert (await membership.client.get("/members", headers=headers)).status_code == 401
    await published("membership.staff_credential_revoked", credential_id=credential["id"])

    staff, headers = await add_staff(membership, "membership_staff")
    assert (await membership.client.delete(f"/staff/{staff['id']}", headers=OPERATOR)).status_code == 200
    assert (await membership.client.get("/members", headers=headers)).status_code == 401
    await published("membership.staff_changed", staff_id=staff["id"], active=False)


async def test_the_last_owner_cannot_be_removed_or_demoted(membership: Membership) -> None:
    [owner] = [s for s in (await membership.client.get("/staff", headers=OPERATOR)).json() if s["role"] == "owner"]
    assert (await membership.client.delete(f"/staff/{owner['id']}", headers=OPERATOR)).status_code == 409
    demoted = await membership.client.patch(f"/staff/{owner['id']}", json={"role": "read_only"}, headers=OPERATOR)
    assert demoted.status_code == 409
    assert demoted.json()["detail"][0]["loc"] == ["body", "role"]


async def sign_in_on_the_page(membership: Membership, email: str, password: str) -> Any:
    form = await membership.client.get("/membership/operator/sign-in")
    data = {"csrf_token": csrf_of(form), "email": email, "password": password, "code": "", "next": ""}
    return await membership.client.post("/membership/operator/sign-in", data=data)


async def test_staff_sign_in_with_their_password_and_a_new_role_signs_them_out(membership: Membership) -> None:
    staff, _ = await add_staff(membership, "membership_staff")
    wrong = await sign_in_on_the_page(membership, staff["email"], "not-the-password-at-all")
    assert wrong.status_code == 400
    assert SESSION_COOKIE not in wrong.headers.get("set-cookie", "")
    signed_in = await sign_in_on_the_page(membership, staff["email"], PASSWORD)
    assert signed_in.status_code == 303, signed_in.text
    assert (await membership.client.get("/membership/operator/levels/new")).status_code == 200
    sessions = (await membership.client.get(f"/staff/{staff['id']}/credentials", headers=OPERATOR)).json()
    assert [c["kind"] for c in sessions if c["revoked_at"] is None] == ["session", "api_token"]

    changed = await membership.client.patch(f"/staff/{staff['id']}", json={"role": "read_only"}, headers=OPERATOR)
    assert changed.status_code == 200
    sent = await membership.client.get("/membership/operator/levels/new")
    assert sent.status_code == 303
    assert sent.headers["location"].startswith("/membership/operator/sign-in?next=")

    await sign_in_on_the_page(membership, staff["email"], PASSWORD)
    assert (await membership.client.get("/membership/operator/levels")).status_code == 200
    refused = await membership.client.get("/membership/operator/levels/new")
    assert refused.status_code == 403
    assert "Not for your role" in refused.text


async def test_a_second_step_once_turned_on_is_asked_for_at_sign_in(membership: Membership) -> None:
    staff, headers = await add_staff(membership, "read_only")
    other, _ = await add_staff(membership, "read_only")
    refused = await membership.client.post(f"/staff/{other['id']}/second-step/proposal", headers=headers)
    assert refused.status_code == 403
    proposal = await membership.client.post(f"/staff/{staff['id']}/second-step/proposal", headers=headers)
    assert proposal.status_code == 200
    secret = proposal.json()["secret"]
    assert proposal.json()["otpauth_uri"].startswith("otpauth://totp/")
    wrong = {"secret": secret, "code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"}
    answer = await membership.client.put(f"/staff/{staff['id']}/second-step", json=wrong, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "code"]
    right = {"secret": secret, "code": pyotp.TOTP(secret).now()}
    assert (
        await membership.client.put(f"/staff/{staff['id']}/second-step", json=right, headers=headers)
    ).status_code == 204

    assert (await sign_in_on_the_page(membership, staff["email"], PASSWORD)).status_code == 400  # no code
    form = await membership.client.get("/membership/operator/sign-in")
    data = {"csrf_token": csrf_of(form), "email": staff["email"], "password": PASSWORD, "next": ""}
    signed_in = await membership.client.post(
        "/membership/operator/sign-in", data=data | {"code": pyotp.TOTP(secret).now()}
    )
    assert signed_in.status_code == 303
    listed = (await membership.client.get("/staff", headers=OPERATOR)).json()
    assert [s["second_step"] for s in listed if s["id"] == staff["id"]] == [True]


async def test_on_the_staff_page_a_token_is_created_shown_once_and_revoked(membership: Membership) -> None:
    arrive_signed_in(membership, "operator")
    page = await membership.client.get("/membership/operator/staff")
    assert page.status_code == 200
    assert "Everyone on the staff" in page.text  # an owner's view
    created = await membership.client.post(
        "/membership/operator/staff/tokens", data={"csrf_token": csrf_of(page), "label": "door scanners"}
    )
    assert created.status_code == 200
    [token] = re.findall(r"<code>(cvn_[^<]+)</code>", created.text)
    headers = {"Authorization": f"Bearer {token}"}
    assert (await membership.client.get("/members", headers=headers)).status_code == 200
    assert token not in (await membership.client.get("/membership/operator/staff")).text  # shown once

    [credential] = [
        c
        for c in (await membership.client.get(f"/staff/{OWNER_ID}/credentials", headers=headers)).json()
        if c["label"] == "door scanners"
    ]
    revoked = await membership.client.post(
        f"/membership/operator/staff/credentials/{credential['id']}/revoke", data={"csrf_token": csrf_of(page)}
    )
    assert revoked.status_code == 303
    assert (await membership.client.get("/members", headers=headers)).status_code == 401

    _, as_reader = await add_staff(membership, "read_only")
    assert (await membership.client.get("/audit-log.csv", headers=as_reader)).status_code == 403
    assert (await membership.client.get("/membership/operator/audit-log")).status_code == 200


async def test_signing_out_revokes_the_session_so_a_copied_cookie_is_refused(membership: Membership) -> None:
    staff, _ = await add_staff(membership, "membership_staff")
    assert (await sign_in_on_the_page(membership, staff["email"], PASSWORD)).status_code == 303
    copied = membership.client.cookies.get(SESSION_COOKIE)
    page = await membership.client.get("/membership/operator/levels")
    assert page.status_code == 200
    assert (await membership.client.post("/membership/sign-out", data={"csrf_token": csrf_of(page)})).status_code == 303
    assert copied is not None
    membership.client.cookies.set(SESSION_COOKIE, copied, domain="membership.local")
    assert (await membership.client.get("/membership/operator/levels")).status_code == 303
    [session] = [
        c
        for c in (await membership.client.get(f"/staff/{staff['id']}/credentials", headers=OPERATOR)).json()
        if c["kind"] == "session"
    ]
    assert session["revoked_at"] is not None

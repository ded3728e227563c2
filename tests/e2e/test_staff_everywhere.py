"""Staff accounts across the three services as real processes (reliability property 29): membership
owns the staff; conference and notifications learn of them from its events, so each role is
allowed and refused (403) the same everywhere, and a revoked API token, a revoked session, a new
role or a removed person is refused by EACH service once the event arrived (waited for by polling
the service, never by sleeping)."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest

from tests.support.services import OPERATOR, Stack
from tests.support.waiting import wait_until

PASSWORD = "correct-horse-battery-staple"


async def add_staff(stack: Stack, role: str) -> tuple[dict[str, Any], dict[str, str]]:
    async with httpx.AsyncClient(base_url=stack.membership.url, headers=OPERATOR) as client:
        body = {"email": f"{role}-{uuid4().hex[:6]}@cit.example", "name": f"Sam {role}", "role": role}
        added = await client.post("/staff", json=body | {"password": PASSWORD})
        assert added.status_code == 201, added.text
        issued = await client.post(f"/staff/{added.json()['id']}/api-tokens", json={"label": "e2e"})
        assert issued.status_code == 201, issued.text
    return added.json(), {"Authorization": f"Bearer {issued.json()['token']}"}


def requests(stack: Stack) -> dict[str, tuple[str, str, str, dict[str, Any] | None]]:
    """One operator action per kind, each answered 403 when the role may not do it."""
    m, c, n = stack.membership.url, stack.conference.url, stack.notifications.url
    return {
        "membership: search members": ("GET", m, "/members", None),
        "conference: member pricing": ("GET", c, "/member-pricing?email=a@example.org", None),
        "conference: check in": ("POST", c, "/check-in", {"ticket_code": "NO-SUCH-TICKET"}),
        "conference: new conference": ("POST", c, "/conferences", {}),
        "notifications: delivery log": ("GET", n, "/deliveries", None),
        "notifications: resend": ("POST", n, f"/deliveries/{uuid4()}/resend", None),
    }


async def answers(stack: Stack, headers: dict[str, str]) -> dict[str, int]:
    found = {}
    async with httpx.AsyncClient(headers=headers, timeout=20) as client:
        for action, (method, base, path, body) in requests(stack).items():
            found[action] = (await client.request(method, f"{base}{path}", json=body)).status_code
    return found


ALLOWED = {
    "membership_staff": {"membership: search members", "notifications: delivery log", "notifications: resend"},
    "event_staff": {
        "conference: member pricing",
        "conference: check in",
        "conference: new conference",
        "notifications: delivery log",
        "notifications: resend",
    },
    "check_in": {"conference: check in"},
    "read_only": {"membership: search members", "conference: member pricing", "notifications: delivery log"},
}


async def known_everywhere(stack: Stack, headers: dict[str, str]) -> None:
    """Until conference and notifications have the staff member (401 before their event came)."""

    async def known() -> bool:
        return 401 not in (await answers(stack, headers)).values()

    await wait_until(known, seconds=60)


@pytest.mark.parametrize("role", list(ALLOWED))
async def test_each_role_is_allowed_and_refused_the_same_in_every_service(stack: Stack, role: str) -> None:
    _, headers = await add_staff(stack, role)
    await known_everywhere(stack, headers)
    found = await answers(stack, headers)
    refused = {action for action, status in found.items() if status == 403}
    assert refused == set(found) - ALLOWED[role], found
    assert not {status for status in found.values() if status >= 500}


async def refused_everywhere(stack: Stack, headers: dict[str, str]) -> None:
    async def refused() -> bool:
        return set((await answers(stack, headers)).values()) == {401}

    await wait_until(refused, seconds=60)


async def test_a_revoked_token_is_refused_by_each_service(stack: Stack) -> None:
    staff, headers = await add_staff(stack, "event_staff")
    await known_everywhere(stack, headers)
    async with httpx.AsyncClient(base_url=stack.membership.url, headers=OPERATOR) as client:
        [token] = (await client.get(f"/staff/{staff['id']}/credentials")).json()
        assert (await client.post(f"/staff/credentials/{token['id']}/revoke")).status_code == 200
    await refused_everywhere(stack, headers)


async def test_a_removed_person_is_refused_by_each_service(stack: Stack) -> None:
    staff, headers = await add_staff(stack, "event_staff")
    await known_everywhere(stack, headers)
    async with httpx.AsyncClient(base_url=stack.membership.url, headers=OPERATOR) as client:
        assert (await client.delete(f"/staff/{staff['id']}")).status_code == 200
    await refused_everywhere(stack, headers)


async def sign_in(stack: Stack, email: str) -> httpx.AsyncClient:
    """A browser-like client signed in through membership's staff sign-in page."""
    client = httpx.AsyncClient(timeout=20)
    form = await client.get(f"{stack.membership.url}/membership/operator/sign-in")
    csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form.text)
    assert csrf, form.text
    data = {"csrf_token": csrf[1], "email": email, "password": PASSWORD, "code": "", "next": ""}
    signed_in = await client.post(f"{stack.membership.url}/membership/operator/sign-in", data=data)
    assert signed_in.status_code == 303, signed_in.text
    return client


async def test_a_new_role_signs_the_person_out_of_every_services_pages(stack: Stack) -> None:
    staff, headers = await add_staff(stack, "event_staff")
    await known_everywhere(stack, headers)
    pages = {
        "membership": f"{stack.membership.url}/membership/operator",
        "conference": f"{stack.conference.url}/events/operator",
        "notifications": f"{stack.notifications.url}/mail/operator/deliveries",
    }
    browser = await sign_in(stack, staff["email"])
    try:
        for url in pages.values():
            assert (await browser.get(url)).status_code == 200, url
        async with httpx.AsyncClient(base_url=stack.membership.url, headers=OPERATOR) as client:
            changed = await client.patch(f"/staff/{staff['id']}", json={"role": "check_in"})
            assert changed.status_code == 200

        async def signed_out_everywhere() -> bool:
            sent = [(await browser.get(url)).status_code for url in pages.values()]
            return sent == [303, 303, 303]

        await wait_until(signed_out_everywhere, seconds=60)
    finally:
        await browser.aclose()


async def test_a_change_in_conference_reaches_the_owners_audit_log_in_membership(stack: Stack) -> None:
    staff, headers = await add_staff(stack, "event_staff")
    await known_everywhere(stack, headers)
    now = datetime.now(UTC)
    body = {
        "name": f"Audited Conference {uuid4().hex[:4]}",
        "venue": "Chicago",
        "time_zone": "America/Chicago",
        "starts_on": "2027-08-16",
        "ends_on": "2027-08-19",
        "registration_opens_at": now.isoformat(),
        "registration_closes_at": (now + timedelta(days=90)).isoformat(),
        "currency": "usd",
        "full_refund_until": (now + timedelta(days=30)).isoformat(),
        "partial_refund_until": (now + timedelta(days=60)).isoformat(),
        "partial_refund_percent": 50,
    }
    async with httpx.AsyncClient(base_url=stack.conference.url, headers=headers) as client:
        created = await client.post("/conferences", json=body)
        assert created.status_code == 201, created.text

    async with httpx.AsyncClient(base_url=stack.membership.url, headers=OPERATOR) as client:

        async def collected() -> list[dict[str, Any]]:
            found: list[dict[str, Any]] = (await client.get("/audit-log", params={"limit": 500})).json()
            return [e for e in found if e["service"] == "conference" and e["staff_id"] == staff["id"]]

        async def arrived() -> bool:
            return bool(await collected())

        await wait_until(arrived, seconds=60)
        [entry] = await collected()
        assert (entry["action"], entry["staff_name"], entry["client"]) == (
            "create_conference",
            staff["name"],
            "127.0.0.1",
        )
        assert (await client.get("/audit-log", headers=headers)).status_code == 403  # owners only

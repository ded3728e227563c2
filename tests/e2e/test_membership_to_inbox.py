"""One fact end to end: membership -> outbox -> Kafka -> notifications -> SMTP, and conference's
member table, on real Kafka, Postgres and SMTP with the services as real processes."""

import asyncio
import json
from typing import Any
from uuid import uuid4

import asyncpg
import httpx

from convene_contracts import MEMBERSHIP, RawEvent, dead_letter_topic
from tests.support.events import activated
from tests.support.kafka import produce, read_topic
from tests.support.services import OPERATOR, Stack
from tests.support.smtp import SmtpServer
from tests.support.waiting import wait_until


def unique_email() -> str:
    return f"member-{uuid4().hex[:10]}@example.org"


async def join_offline(stack: Stack, email: str, level_name: str) -> dict[str, Any]:
    """An operator creates a level and records a member's cheque for it."""
    async with httpx.AsyncClient(base_url=stack.membership.url, headers=OPERATOR) as client:
        level = await client.post(
            "/levels", json={"name": level_name, "price_minor": 7500, "currency": "usd", "term": "annual"}
        )
        assert level.status_code == 201, level.text
        paid = await client.post(
            "/offline-payments",
            json={
                "name": "Ada Lovelace",
                "email": email,
                "level_id": level.json()["id"],
                "amount_minor": 7500,
                "currency": "usd",
                "method": "cheque",
                "reference": f"CHQ-{uuid4().hex[:8]}",
            },
        )
        assert paid.status_code == 201, paid.text
        body: dict[str, Any] = paid.json()
        return body


async def emails_to(smtp: SmtpServer, recipient: str, count: int = 1) -> list[Any]:
    return await asyncio.to_thread(smtp.mailbox.wait_for, recipient, count, 30)


async def test_an_offline_payment_sends_one_welcome_email_naming_the_level(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    email, level = unique_email(), f"Individual {uuid4().hex[:6]}"
    membership = await join_offline(stack, email, level)
    assert membership["status"] == "active"

    [message] = await emails_to(smtp_server, email)
    assert message["To"] == email
    assert level in message["Subject"]
    await asyncio.sleep(1)  # a second email, if any, would come right behind the first
    assert len(smtp_server.mailbox.to(email)) == 1
    conn = await asyncpg.connect(stack.databases["membership"])
    try:
        assert await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0
    finally:
        await conn.close()


async def test_conference_learns_the_new_member_from_the_event(stack: Stack, smtp_server: SmtpServer) -> None:
    email = unique_email()
    async with httpx.AsyncClient(base_url=stack.conference.url, headers=OPERATOR) as client:

        async def member_pricing() -> bool:
            response = await client.get("/member-pricing", params={"email": email})
            assert response.status_code == 200, response.text
            return bool(response.json()["member_pricing"])

        assert await member_pricing() is False
        await join_offline(stack, email, f"Agency {uuid4().hex[:6]}")
        await wait_until(member_pricing)


async def test_the_same_event_delivered_again_sends_no_second_email(stack: Stack, smtp_server: SmtpServer) -> None:
    email = unique_email()
    membership = await join_offline(stack, email, f"Student {uuid4().hex[:6]}")
    await emails_to(smtp_server, email)
    [published] = [
        r
        for r in await read_topic(MEMBERSHIP, at_least=1)
        if RawEvent.model_validate_json(r.value).payload.get("membership_id") == membership["id"]
    ]

    await produce(MEMBERSHIP, published.value, key=published.key)
    # A later event with the same key lands behind the repeat on the same partition:
    # once its email arrives, notifications has dealt with the repeat.
    marker = activated(email=unique_email())
    await produce(MEMBERSHIP, marker.model_dump_json().encode(), key=published.key)
    await emails_to(smtp_server, marker.payload.email)
    assert len(smtp_server.mailbox.to(email)) == 1


async def test_a_malformed_message_is_parked_and_the_next_good_one_is_processed(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    key = str(uuid4()).encode()
    garbage = b'{"event_type": "membership.activated", "payload": {"email": 42}}'
    await produce(MEMBERSHIP, garbage, key=key)
    good = activated(email=unique_email())
    await produce(MEMBERSHIP, good.model_dump_json().encode(), key=key)

    [message] = await emails_to(smtp_server, good.payload.email)
    assert good.payload.level_name in message["Subject"]
    parked = [r for r in await read_topic(dead_letter_topic(MEMBERSHIP), at_least=4) if r.value == garbage]
    # Each group reading the topic parks it: the staff directories' consumers too (docs/staff.md).
    groups = {"notifications", "conference", "notifications-staff", "conference-staff"}
    assert {r.headers["x-consumer-group"] for r in parked} == groups
    assert all(r.headers["x-origin-topic"] == MEMBERSHIP for r in parked)
    assert all("ValidationError" in r.headers["x-error"] for r in parked)


async def test_bad_input_gets_a_4xx_naming_the_field_and_writes_nothing(stack: Stack) -> None:
    async with httpx.AsyncClient(base_url=stack.membership.url) as client:
        anonymous = await client.post(
            "/levels", json={"name": "X", "price_minor": 1, "currency": "usd", "term": "annual"}
        )
        assert anonymous.status_code == 401
        invalid = await client.post(
            "/offline-payments",
            headers=OPERATOR,
            json={
                "name": "Ada",
                "email": "not-an-address",
                "level_id": str(uuid4()),
                "amount_minor": -5,
                "currency": "USD",
                "method": "cheque",
                "reference": "CHQ-1",
            },
        )
        assert invalid.status_code == 422
        fields = {tuple(problem["loc"]) for problem in invalid.json()["detail"]}
        assert fields == {("body", "email"), ("body", "amount_minor"), ("body", "currency")}
        unknown_level = await client.post(
            "/offline-payments",
            headers=OPERATOR,
            json={
                "name": "Ada",
                "email": unique_email(),
                "level_id": str(uuid4()),
                "amount_minor": 5,
                "currency": "usd",
                "method": "cheque",
                "reference": "CHQ-2",
            },
        )
        assert unknown_level.status_code == 422
        assert unknown_level.json()["detail"][0]["loc"] == ["body", "level_id"]
    conn = await asyncpg.connect(stack.databases["membership"])
    try:
        rows = await conn.fetchval("SELECT count(*) FROM members WHERE name = 'Ada'")
        payments = await conn.fetchval("SELECT count(*) FROM dues_payments WHERE reference IN ('CHQ-1', 'CHQ-2')")
    finally:
        await conn.close()
    assert (rows, payments) == (0, 0)


def test_the_api_is_documented_in_openapi(stack: Stack) -> None:
    paths = json.loads(httpx.get(f"{stack.membership.url}/openapi.json").text)["paths"]
    assert {"/levels", "/offline-payments", "/healthz", "/readyz"} <= set(paths)


async def test_a_member_signs_in_with_the_emailed_link(stack: Stack, smtp_server: SmtpServer) -> None:
    email = unique_email()
    await join_offline(stack, email, f"Individual {uuid4().hex[:6]}")
    async with httpx.AsyncClient(base_url=stack.membership.url) as client:
        assert (await client.post("/sign-in", json={"email": email})).status_code == 202
        [_, sign_in_email] = await emails_to(smtp_server, email, count=2)
        assert sign_in_email["Subject"].startswith("Your sign-in link")
        text = sign_in_email.get_body(("plain",)).get_content()
        [url] = [word for word in text.split() if "/sign-in/" in word]
        session = await client.post(f"/sign-in/{url.rsplit('/', 1)[1]}")
        assert session.status_code == 200, session.text
        me = await client.get("/me", headers={"Authorization": f"Bearer {session.json()['session_token']}"})
        assert me.json()["email"] == email
        assert me.json()["memberships"][0]["status"] == "active"

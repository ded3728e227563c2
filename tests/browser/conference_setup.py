"""What the conference browser tests set up through the APIs, as an operator and as the outside
world would: a conference with ticket types, a member the conference knows, a webhook from Stripe,
and the links people find in their emails."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx

from tests.support import stripe
from tests.support.services import OPERATOR, Stack, env_file
from tests.support.smtp import SmtpServer
from tests.support.waiting import wait_until

QUESTIONS = [
    {"key": "dietary", "label": "Dietary needs", "type": "text"},
    {
        "key": "role",
        "label": "Your role",
        "type": "choice",
        "required": True,
        "choices": ["Officer", "Dispatcher", "Clinician"],
    },
    {"key": "first_time", "label": "Is this your first CIT conference?", "type": "yes_no", "required": True},
]


async def open_conference(stack: Stack, tickets: list[dict[str, Any]], **overrides: Any) -> tuple[str, str, list[str]]:
    """An open conference (registration open now, full refund for a month): its id, its name and
    its ticket types' ids."""
    now = datetime.now(UTC)
    name = str(overrides.pop("name", f"CIT International {uuid4().hex[:4].upper()}"))
    body = {
        "name": name,
        "venue": "Navy Pier, Chicago",
        "time_zone": "America/Chicago",
        "starts_on": str(date(2027, 8, 16)),
        "ends_on": str(date(2027, 8, 19)),
        "registration_opens_at": (now - timedelta(days=1)).isoformat(),
        "registration_closes_at": (now + timedelta(days=90)).isoformat(),
        "currency": "usd",
        "full_refund_until": (now + timedelta(days=30)).isoformat(),
        "partial_refund_until": (now + timedelta(days=60)).isoformat(),
        "partial_refund_percent": 50,
    } | overrides
    async with httpx.AsyncClient(base_url=stack.conference.url, headers=OPERATOR) as client:
        created = await client.post("/conferences", json=body)
        assert created.status_code == 201, created.text
        conference_id = str(created.json()["id"])
        ids = []
        for ticket in tickets:
            added = await client.post(
                f"/conferences/{conference_id}/ticket-types",
                json={"capacity": 100, "member_price_minor": 30000, "non_member_price_minor": 45000} | ticket,
            )
            assert added.status_code == 201, added.text
            ids.append(str(added.json()["id"]))
    return conference_id, name, ids


async def member_known_to_the_conference(stack: Stack, email: str) -> None:
    """An operator records a member's cheque in membership; membership.activated travels over Kafka
    and the conference's member table takes it in."""
    async with httpx.AsyncClient(base_url=stack.membership.url, headers=OPERATOR) as client:
        level = await client.post(
            "/levels",
            json={"name": f"Individual {uuid4().hex[:6]}", "price_minor": 7500, "currency": "usd", "term": "annual"},
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

    async with httpx.AsyncClient(base_url=stack.conference.url, headers=OPERATOR) as client:

        async def known() -> bool:
            answer = await client.get("/member-pricing", params={"email": email})
            return bool(answer.json()["member_pricing"])

        await wait_until(known)


async def stripe_confirms(stack: Stack, registration_id: str, amount: int) -> None:
    """What Stripe sends once the person has paid on its Checkout page: a signed webhook."""
    session = stripe.checkout_session(
        {"convene_kind": "registration", "registration_id": registration_id}, amount=amount
    )
    body, headers = stripe.signed(
        stripe.event("checkout.session.completed", session), env_file("conference")["STRIPE_WEBHOOK_SECRET"]
    )
    async with httpx.AsyncClient(base_url=stack.conference.url) as client:
        answer = await client.post("/stripe/webhook", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["outcome"] == "confirmed"


async def link_in_email(smtp: SmtpServer, to: str, subject_starts: str, path: str) -> str:
    """The link containing `path` in the plain text of the one email to `to` whose subject starts so."""

    async def arrived() -> bool:
        return any(m["Subject"].startswith(subject_starts) for m in smtp.mailbox.to(to))

    await wait_until(arrived)
    [message] = [m for m in smtp.mailbox.to(to) if m["Subject"].startswith(subject_starts)]
    text = message.get_body(("plain",))
    assert text is not None
    [link] = [word for word in text.get_content().split() if path in word]
    return str(link)

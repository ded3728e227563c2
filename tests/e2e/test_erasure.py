"""Erasure across the three services through Kafka (reliability properties 20 and 26, M10).

A person who is a member, holds a seat in another organization, attends in someone else's group
(checked in, certificate emailed) and waits on a waitlist erases themselves. Afterwards no table
of any of the three databases and no email sent after the erasure holds their name or address;
a copy planted on purpose is found, so the scan can find one. The services run as processes on
the test stack; only Kafka carries the erasure between them.
"""

import asyncio
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from uuid import uuid4

import asyncpg
import httpx

from convene_contracts import CONFERENCE, MEMBERSHIP, RawEvent
from convene_contracts.privacy import email_digest
from notifications.domain.unsubscribe_links import UnsubscribeLinks
from tests.support.kafka import published
from tests.support.privacy_scan import scan_all
from tests.support.services import OPERATOR, Stack, env_file
from tests.support.smtp import SmtpServer
from tests.support.waiting import wait_until

ERASE = {"confirm": "erase my data"}


def person() -> tuple[str, str]:
    tag = uuid4().hex[:8]
    return f"Perpetua Quillfeather{tag}", f"perpetua-{tag}@example.org"


async def emails_to(smtp: SmtpServer, to: str, count: int) -> list[EmailMessage]:
    found = await asyncio.to_thread(smtp.mailbox.wait_for, to, count, 60)
    assert len(found) >= count, [m["Subject"] for m in found]
    return found


async def pay_offline(membership: httpx.AsyncClient, name: str, email: str, **level: Any) -> dict[str, Any]:
    """An operator creates a level and records the person's cheque for it: an active membership."""
    body = {"name": f"Level {uuid4().hex[:6]}", "price_minor": 7500, "currency": "usd", "term": "annual"} | level
    created = await membership.post("/levels", json=body, headers=OPERATOR)
    assert created.status_code == 201, created.text
    paid = await membership.post(
        "/offline-payments",
        headers=OPERATOR,
        json={
            "name": name,
            "email": email,
            "level_id": created.json()["id"],
            "amount_minor": body["price_minor"],
            "currency": "usd",
            "method": "cheque",
            "reference": f"CHQ-{uuid4().hex[:8]}",
        },
    )
    assert paid.status_code == 201, paid.text
    answer: dict[str, Any] = paid.json()
    return answer


async def signed_in(membership: httpx.AsyncClient, smtp: SmtpServer, email: str) -> dict[str, str]:
    """The member asks for a link and follows the one in their email."""

    def links() -> list[EmailMessage]:
        return [m for m in smtp.mailbox.to(email) if str(m["Subject"]).startswith("Your sign-in link")]

    before = len(links())
    assert (await membership.post("/sign-in", json={"email": email})).status_code == 202
    await wait_until(lambda: len(links()) > before, seconds=60)
    body = links()[-1].get_body(("plain",))
    assert body is not None
    [url] = [word for word in body.get_content().split() if "/sign-in/" in word]
    session = await membership.post(f"/sign-in/{url.rsplit('/', 1)[1]}")
    assert session.status_code == 200, session.text
    return {"Authorization": f"Bearer {session.json()['session_token']}"}


async def conference_with_free_tickets(conference: httpx.AsyncClient, capacity: int, ended: bool) -> tuple[str, str]:
    now = datetime.now(UTC)
    days = date.today() - timedelta(days=3) if ended else date(2027, 9, 1)
    created = await conference.post(
        "/conferences",
        headers=OPERATOR,
        json={
            "name": f"Regional Day {uuid4().hex[:4]}",
            "venue": "Town Hall",
            "time_zone": "UTC",
            "starts_on": str(days),
            "ends_on": str(days + timedelta(days=1)),
            "registration_opens_at": (now - timedelta(days=10)).isoformat(),
            "registration_closes_at": (now + timedelta(days=10)).isoformat(),
            "currency": "usd",
            "certificate_hours": 6,
        },
    )
    assert created.status_code == 201, created.text
    conference_id = str(created.json()["id"])
    ticket = await conference.post(
        f"/conferences/{conference_id}/ticket-types",
        headers=OPERATOR,
        json={"name": "Day pass", "capacity": capacity, "member_price_minor": 0, "non_member_price_minor": 0},
    )
    assert ticket.status_code == 201, ticket.text
    return conference_id, str(ticket.json()["id"])


async def register(conference: httpx.AsyncClient, conference_id: str, ticket: str, *people: tuple[str, str]) -> str:
    """The first person pays for (free) places for everyone named."""
    attendees = [{"name": n, "email": e, "ticket_type_ids": [ticket]} for n, e in people]
    body = {"payer_name": people[0][0], "payer_email": people[0][1], "attendees": attendees}
    answer = await conference.post(f"/conferences/{conference_id}/registrations", json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "confirmed"
    return str(answer.json()["registration_id"])


async def settled(stack: Stack) -> bool:
    """Every outbox published: what is left in the tables is what they keep."""
    for dsn in stack.databases.values():
        conn = await asyncpg.connect(dsn)
        try:
            if await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"):
                return False
        finally:
            await conn.close()
    return True


async def member_erased(stack: Stack, member_id: str) -> None:
    [event] = await published(MEMBERSHIP, "membership.member_erased", member_id=member_id)
    await taken_in(stack, event)


async def taken_in(stack: Stack, event: RawEvent, consumers: tuple[str, ...] = ("conference", "notifications")) -> None:
    """Waits until the consumers applied the erasure event, and every outbox is published: what
    is left in the tables is what they keep."""

    async def applied() -> bool:
        for service in consumers:
            conn = await asyncpg.connect(stack.databases[service])
            try:
                if not await conn.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", event.event_id):
                    return False
            finally:
                await conn.close()
        return await settled(stack)

    await wait_until(applied, seconds=60)


def mentions(message: EmailMessage, needles: list[str]) -> bool:
    text = message.as_string().lower()
    return any(n.lower() in text for n in needles)


async def test_an_erased_member_leaves_no_trace_in_any_database_or_later_email(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    name, email = person()
    payer_name, payer = f"Gus Groupleader{uuid4().hex[:6]}", f"gus-{uuid4().hex[:8]}@example.org"
    async with (
        httpx.AsyncClient(base_url=stack.membership.url) as membership,
        httpx.AsyncClient(base_url=stack.conference.url) as conference,
    ):
        # A member, and a seat holder of another organization's membership.
        member_id = (await pay_offline(membership, name, email))["member_id"]
        contact = f"contact-{uuid4().hex[:8]}@example.org"
        org = await pay_offline(membership, "Olga Contact", contact, kind="organizational", seat_count=3)
        as_contact = await signed_in(membership, smtp_server, contact)
        seat = await membership.post(
            f"/me/memberships/{org['id']}/seats", json={"email": email, "name": name}, headers=as_contact
        )
        assert seat.status_code == 201, seat.text
        # A group attendee, checked in, with a certificate emailed; and on a waitlist.
        ended, day_pass = await conference_with_free_tickets(conference, capacity=10, ended=True)
        group = await register(conference, ended, day_pass, (payer_name, payer), (name, email))
        conn = await asyncpg.connect(stack.databases["conference"])
        try:
            code = await conn.fetchval("SELECT ticket_code FROM attendees WHERE email = $1", email)
        finally:
            await conn.close()
        assert (await conference.post("/check-in", json={"ticket_code": code}, headers=OPERATOR)).status_code == 200
        issued = await conference.post(f"/conferences/{ended}/certificates", headers=OPERATOR)
        assert issued.status_code == 200, issued.text
        full, one_seat = await conference_with_free_tickets(conference, capacity=1, ended=False)
        await register(conference, full, one_seat, ("Wes Early", f"wes-{uuid4().hex[:8]}@example.org"))
        waiting = await conference.post(
            f"/conferences/{full}/waitlist", json={"ticket_type_id": one_seat, "name": name, "email": email}
        )
        assert waiting.status_code == 201, waiting.text
        as_person = await signed_in(membership, smtp_server, email)

        def certificate_and_waitlist_sent() -> bool:
            subjects = [str(m["Subject"]) for m in smtp_server.mailbox.to(email)]
            return any(s.startswith("Your certificate") for s in subjects) and any(
                s.startswith("You are on the waitlist") for s in subjects
            )

        await wait_until(certificate_and_waitlist_sent, seconds=60)
        [certificate] = [m for m in smtp_server.mailbox.to(email) if m["Subject"].startswith("Your certificate")]
        assert [p.get_content_type() for p in certificate.iter_attachments()] == ["application/pdf"]
        pricing = await conference.get("/member-pricing", params={"email": email}, headers=OPERATOR)
        assert pricing.json()["member_pricing"] is True
        sent_before = len(smtp_server.mailbox.messages)

        erased = await membership.post("/me/erase", json=ERASE, headers=as_person)
        assert erased.status_code == 204, erased.text

        await member_erased(stack, member_id)
        hits = await scan_all(stack.databases, [name, email])
        assert hits == [], "\n".join(str(h) for h in hits)
        later = smtp_server.mailbox.messages[sent_before:]
        assert [m["Subject"] for m in later if mentions(m, [name, email])] == []
        # The seat went with a seat_removed event: no member price under that address any more.
        pricing = await conference.get("/member-pricing", params={"email": email}, headers=OPERATOR)
        assert pricing.json()["member_pricing"] is False

    # The books still add up: the group keeps its two places, tickets, check-in and certificate.
    conn = await asyncpg.connect(stack.databases["conference"])
    try:
        kept = await conn.fetch(
            "SELECT a.ticket_code, a.checked_in_at, c.attendee_id IS NOT NULL AS certified"
            " FROM attendees a LEFT JOIN certificates c ON c.attendee_id = a.id WHERE a.registration_id = $1",
            group,
        )
        assert len(kept) == 2
        assert any(r["ticket_code"] == code and r["checked_in_at"] and r["certified"] for r in kept)
    finally:
        await conn.close()


async def test_the_scan_finds_a_planted_copy(stack: Stack) -> None:
    name, email = person()
    conn = await asyncpg.connect(stack.databases["notifications"])
    try:
        await conn.execute("INSERT INTO unsubscribes (email) VALUES ($1)", email)
        await conn.execute(
            "INSERT INTO outbox (event_id, event_type, topic, message_key, body, published_at)"
            " VALUES ($1, 'planted', 'planted', 'planted', $2, now())",
            uuid4(),
            f'{{"name": "{name}"}}'.encode(),
        )
        hits = await scan_all(stack.databases, [name, email])
        assert sorted((h.database.split("_")[0], h.table, h.column) for h in hits) == [
            ("notifications", "outbox", "body"),
            ("notifications", "unsubscribes", "email"),
        ]
    finally:
        await conn.execute("DELETE FROM unsubscribes WHERE email = $1", email)
        await conn.execute("DELETE FROM outbox WHERE event_type = 'planted'")
        await conn.close()


async def test_erasing_an_organization_contact_keeps_its_seat_holders_log_and_unsubscribe(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    contact, holder = f"contact-{uuid4().hex[:8]}@example.org", f"holder-{uuid4().hex[:8]}@example.org"
    async with (
        httpx.AsyncClient(base_url=stack.membership.url) as membership,
        httpx.AsyncClient(base_url=stack.notifications.url) as notifications,
    ):
        org = await pay_offline(membership, "Olga Contact", contact, kind="organizational", seat_count=2)
        as_contact = await signed_in(membership, smtp_server, contact)
        seat = await membership.post(
            f"/me/memberships/{org['id']}/seats", json={"email": holder, "name": "Hal Holder"}, headers=as_contact
        )
        assert seat.status_code == 201, seat.text
        [assigned] = await emails_to(smtp_server, holder, 1)
        sig = unsubscribe_signature(holder)
        unsubscribed = await notifications.post("/unsubscribe", params={"email": holder, "sig": sig})
        assert unsubscribed.status_code == 200, unsubscribed.text

        assert (await membership.post("/me/erase", json=ERASE, headers=as_contact)).status_code == 204

        await member_erased(stack, org["member_id"])
    conn = await asyncpg.connect(stack.databases["notifications"])
    try:
        assert await conn.fetchval("SELECT count(*) FROM deliveries WHERE recipient = $1", holder) == 1
        assert await conn.fetchval("SELECT count(*) FROM unsubscribes WHERE email = $1", holder) == 1
    finally:
        await conn.close()
    assert assigned["To"] == holder


def unsubscribe_signature(email: str) -> str:
    """What the footer link of the person's email carries, signed with the stack's secret."""
    return UnsubscribeLinks(env_file("notifications")["UNSUBSCRIBE_SECRET"], "", "").signature(email)


async def test_an_attendee_who_was_never_a_member_erases_themselves_from_their_link(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    name, email = person()
    async with httpx.AsyncClient(base_url=stack.conference.url) as conference:
        conference_id, day_pass = await conference_with_free_tickets(conference, capacity=5, ended=False)
        registration = await register(conference, conference_id, day_pass, (name, email))
        [confirmed] = await emails_to(smtp_server, email, 1)
        body = confirmed.get_body(("plain",))
        assert body is not None
        [link] = [w for w in body.get_content().split() if f"/registrations/{registration}?token=" in w]
        token = link.rsplit("token=", 1)[1]

        erased = await conference.post(f"/registrations/{registration}/erase", params={"token": token}, json=ERASE)
        assert erased.status_code == 204, erased.text

        [event] = await published(CONFERENCE, "conference.attendee_erased", email_sha256=email_digest(email))
        assert email not in event.model_dump_json()
        await taken_in(stack, event, consumers=("notifications",))
        hits = await scan_all(stack.databases, [name, email])
        assert hits == [], "\n".join(str(h) for h in hits)
        again = await conference.post(f"/registrations/{registration}/erase", params={"token": token}, json=ERASE)
        assert again.status_code == 404
    conn = await asyncpg.connect(stack.databases["conference"])
    try:
        kept = await conn.fetchrow("SELECT status, amount_minor FROM registrations WHERE id = $1", registration)
        assert kept is not None
        assert (kept["status"], kept["amount_minor"]) == ("confirmed", 0)  # the books keep the registration
    finally:
        await conn.close()

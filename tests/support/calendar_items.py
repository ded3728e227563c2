"""Scheduled work made due during the every-service-twice test, so that both instances' jobs
compete for it: renewal reminders and lapses (membership's dues calendar), expired holds,
waitlist offers and their expiry, and refunds owed after a late payment (conference's hold
sweeper and refund job). Items are made due by moving their dates into the past in SQL, as
an operator's clock would; each must be done exactly once, counted from the outboxes by the
event each job writes, keyed by its item."""

from collections import Counter
from dataclasses import dataclass, field
from uuid import UUID, uuid4

import asyncpg
import httpx

from tests.support import stripe as shapes
from tests.support.chaos_load import Load
from tests.support.services import OPERATOR
from tests.support.waiting import wait_until

ITEMS = 4  # of each kind: small, the point is two instances racing for each
TICKET_PRICE = 45000


@dataclass
class Calendar:
    load: Load  # its own Load: these members and registrations are not the chaos counts' load
    databases: dict[str, str]
    reminded: list[str] = field(default_factory=list)  # member ids
    lapsing: list[str] = field(default_factory=list)
    late_payers: list[str] = field(default_factory=list)  # registration ids
    waiting: list[str] = field(default_factory=list)  # waitlist entry ids, in order

    async def arrange(self) -> None:
        """Members and a sold-out ticket type of ITEMS seats, held and not paid, with twice as
        many people waiting; then every date that makes them due is moved into the past."""
        memberships = [await self._member() for _ in range(2 * ITEMS)]
        membership = await asyncpg.connect(self.databases["membership"])
        try:
            await membership.execute(
                "UPDATE memberships SET period_end = now() + interval '12 hours' WHERE id = ANY($1::uuid[])",
                memberships[:ITEMS],
            )
            await membership.execute(
                "UPDATE memberships SET period_end = now() - interval '60 days' WHERE id = ANY($1::uuid[])",
                memberships[ITEMS:],
            )
            members = {
                str(r["id"]): str(r["member_id"])
                for r in await membership.fetch(
                    "SELECT id, member_id FROM memberships WHERE id = ANY($1::uuid[])", memberships
                )
            }
        finally:
            await membership.close()
        self.reminded = [members[m] for m in memberships[:ITEMS]]
        self.lapsing = [members[m] for m in memberships[ITEMS:]]
        ticket = await self._ticket_type()
        self.late_payers = [await self._hold(ticket) for _ in range(ITEMS)]
        self.waiting = [await self._wait(ticket) for _ in range(2 * ITEMS)]
        await self._conference_sql(
            "UPDATE registrations SET hold_expires_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])",
            self.late_payers,
        )

    async def pass_offers_on(self) -> None:
        """Once the freed seats are offered to the first ITEMS waiting, their offers run out: each
        seat passes to the next person, and the late payments then find no seat (a refund)."""
        first = self.waiting[:ITEMS]

        async def offered() -> bool:
            return await self._count("conference", "conference.waitlist_offered", first) == ITEMS

        await wait_until(offered, seconds=120)
        await self._conference_sql(
            "UPDATE waitlist_entries SET offer_expires_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])",
            first,
        )

        async def passed_on() -> bool:
            return await self._count("conference", "conference.waitlist_offered", self.waiting) == 2 * ITEMS

        await wait_until(passed_on, seconds=120)
        for registration_id in self.late_payers:
            metadata = {"convene_kind": "registration", "registration_id": registration_id}
            event = shapes.event("checkout.session.completed", shapes.checkout_session(metadata, amount=TICKET_PRICE))
            await self._webhook("conference", event)

    async def done(self) -> bool:
        return all(n > 0 for n in (await self.counts()).values())

    async def counts(self) -> dict[str, int]:
        """Per kind of item, how many items have exactly one of their job's events."""
        first = self.waiting[:ITEMS]
        wanted = {
            "reminders sent": ("membership", "membership.expiring_soon", self.reminded),
            "lapses": ("membership", "membership.lapsed", self.lapsing),
            "holds expired": ("conference", "conference.hold_expired", self.late_payers),
            "waitlist offers": ("conference", "conference.waitlist_offered", self.waiting),
            "offers expired": ("conference", "conference.waitlist_offer_expired", first),
            "refunds issued": ("conference", "conference.refund_issued", self.late_payers),
        }
        return {what: await self._once(*how) for what, how in wanted.items()}

    async def wrong(self) -> dict[str, int]:
        """Items whose job ran other than once (never, or twice): each must be 0."""
        expected = {"reminders sent": ITEMS, "lapses": ITEMS, "holds expired": ITEMS, "waitlist offers": 2 * ITEMS,
                    "offers expired": ITEMS, "refunds issued": ITEMS}  # fmt: skip
        counts = await self.counts()
        return {f"scheduled items not done exactly once: {k}": expected[k] - counts[k] for k in expected}

    async def _member(self) -> str:
        email = f"calendar-{uuid4().hex[:10]}@example.org"
        body = {"name": "Cal Endar", "email": email, "level_id": self.load.level_id}
        joined = _ok(await self.load.client.call("membership", "calendar join", "POST", "/memberships", json=body))
        membership_id = str(joined.json()["membership"]["id"])
        metadata = {"convene_kind": "join", "membership_id": membership_id}
        event = shapes.event("checkout.session.completed", shapes.checkout_session(metadata, amount=7500))
        await self._webhook("membership", event)
        return membership_id

    async def _webhook(self, service: str, event: shapes.Json) -> None:
        body, headers = shapes.signed(event, self.load.secrets[service])
        call = self.load.client.call(
            service, "calendar webhook", "POST", "/stripe/webhook", content=body, headers=headers
        )
        _ok(await call)

    async def _ticket_type(self) -> str:
        path = f"/conferences/{self.load.conference_id}/ticket-types"
        body = {"name": "Calendar", "capacity": ITEMS, "member_price_minor": TICKET_PRICE,
                "non_member_price_minor": TICKET_PRICE}  # fmt: skip
        made = _ok(await self.load.client.call("conference", "setup", "POST", path, json=body, headers=OPERATOR))
        return str(made.json()["id"])

    async def _hold(self, ticket: str) -> str:
        email = f"calendar-h-{uuid4().hex[:10]}@example.org"
        attendee = {"name": "Hal Holder", "email": email, "ticket_type_ids": [ticket]}
        body = {"payer_name": "Hal Holder", "payer_email": email, "attendees": [attendee]}
        path = f"/conferences/{self.load.conference_id}/registrations"
        held = _ok(await self.load.client.call("conference", "calendar hold", "POST", path, json=body))
        return str(held.json()["registration_id"])

    async def _wait(self, ticket: str) -> str:
        body = {"ticket_type_id": ticket, "name": "Wai Ting", "email": f"calendar-w-{uuid4().hex[:10]}@example.org"}
        path = f"/conferences/{self.load.conference_id}/waitlist"
        joined = _ok(await self.load.client.call("conference", "calendar waitlist", "POST", path, json=body))
        return str(joined.json()["entry_id"])

    async def _conference_sql(self, statement: str, ids: list[str]) -> None:
        conn = await asyncpg.connect(self.databases["conference"])
        try:
            await conn.execute(statement, [UUID(i) for i in ids])
        finally:
            await conn.close()

    async def _events(self, service: str, event_type: str, keys: list[str]) -> Counter[str]:
        conn = await asyncpg.connect(self.databases[service])
        try:
            rows = await conn.fetch(
                "SELECT message_key FROM outbox WHERE event_type = $1 AND message_key = ANY($2::text[])",
                event_type,
                keys,
            )
        finally:
            await conn.close()
        return Counter(r["message_key"] for r in rows)

    async def _count(self, service: str, event_type: str, keys: list[str]) -> int:
        return len(await self._events(service, event_type, keys))

    async def _once(self, service: str, event_type: str, keys: list[str]) -> int:
        events = await self._events(service, event_type, keys)
        return sum(1 for k in keys if events[k] == 1)


def _ok(answer: httpx.Response | None) -> httpx.Response:
    """The answer of a step that must succeed (2xx): these items are set up, not under load."""
    assert answer is not None, "given up"
    assert answer.is_success, answer.text
    return answer

"""Fake repositories of registrations, seats and discount codes, over fake_state.State."""

import copy
import json
from typing import Any
from uuid import UUID

from conference.domain.booking import Booking
from conference.domain.model import DiscountCode, RefundPolicy, RegistrationStatus
from conference.domain.registration import Registration, new_ticket_code

from .fake_state import Shards, State, facts


class FakeRegistrations:
    def __init__(self, s: State) -> None:
        self.s = s

    async def get(self, registration_id: UUID) -> Registration | None:
        found = self.s.registrations.get(registration_id)
        return copy.deepcopy(found) if found else None

    async def add(self, booking: Booking, shards: list[Shards]) -> None:
        b = booking
        self.s.registrations[b.registration_id] = Registration(
            b.registration_id,
            b.conference_id,
            RegistrationStatus.HELD,
            b.payer_email,
            b.total,
            b.currency,
            b.hold_expires_at,
            refund_policy=_policy(self.s.conferences[b.conference_id]),
        )
        self.s.payers[b.registration_id] = {
            "payer_name": b.payer_name,
            "discount_code_id": b.discount.id if b.discount else None,
            "holds_use": b.discount is not None,
            "client_address": b.client_address,
        }
        for a in b.attendees:
            self.s.attendees[a.id] = {
                "id": a.id,
                "registration_id": b.registration_id,
                "name": a.name,
                "email": a.email,
                "ticket_code": None,
                "checked_in_at": None,
            }
        for t, taken in zip(b.tickets, shards, strict=True):
            self.s.tickets.append(
                {
                    "attendee_id": t.attendee_id,
                    "ticket_type_id": t.ticket.id,
                    "price": t.price,
                    "shards": taken,
                    "member_price": t.member_price,
                }
            )

    async def save(self, registration: Registration) -> None:
        kept = copy.deepcopy(registration)
        kept.events.clear()
        self.s.registrations[registration.id] = kept

    async def facts(self, registration_id: UUID) -> tuple[Any, list[Any]]:
        return facts(self.s, registration_id)

    async def checkout_lines(self, registration_id: UUID) -> list[Any]:
        lines = []
        for a in self.s.attendees.values():
            if a["registration_id"] == registration_id:
                mine = [t for t in self.s.tickets if t["attendee_id"] == a["id"]]
                names = ", ".join(sorted(self.s.ticket_types[t["ticket_type_id"]]["name"] for t in mine))
                lines.append({"name": a["name"], "tickets": names, "amount": sum(t["price"] for t in mine)})
        return lines

    def _tickets(self, registration_id: UUID) -> list[dict[str, Any]]:
        mine = {a["id"] for a in self.s.attendees.values() if a["registration_id"] == registration_id}
        return [t for t in self.s.tickets if t["attendee_id"] in mine]

    async def tickets(self, registration_id: UUID) -> list[Any]:
        return [
            {"ticket_type_id": t["ticket_type_id"], "shards": json.dumps(t["shards"])}
            for t in self._tickets(registration_id)
        ]

    async def retake_seats(self, registration_id: UUID) -> bool:
        tickets = self._tickets(registration_id)
        wanted = [UUID(pool) for t in tickets for pool, _ in t["shards"]]
        if any(self.s.pools[pool].count(0) == len(self.s.pools[pool]) for pool in wanted):
            return False
        for t in tickets:
            t["shards"] = [[pool, _take(self.s, UUID(pool))] for pool, _ in t["shards"]]
        return True

    async def issue_ticket_codes(self, registration_id: UUID) -> None:
        for a in self.s.attendees.values():
            if a["registration_id"] == registration_id:
                a["ticket_code"] = new_ticket_code()

    async def attach_checkout(self, registration_id: UUID, session_id: str, url: str) -> bool:
        r = self.s.registrations[registration_id]
        if r.status is not RegistrationStatus.HELD or r.checkout_session_id is not None:
            return False
        r.checkout_session_id, r.checkout_url = session_id, url
        return True

    async def refund_reported(self, payment_intent: str, amount_refunded_minor: int) -> None:
        for r in self.s.registrations.values():
            if r.payment_intent == payment_intent:
                r.refunded_minor = max(r.refunded_minor, amount_refunded_minor)


def _policy(conference: dict[str, Any]) -> RefundPolicy:
    return RefundPolicy(
        conference["full_refund_until"], conference["partial_refund_until"], conference["partial_refund_percent"]
    )


def _take(s: State, pool_id: UUID) -> int | None:
    for shard, free in enumerate(s.pools[pool_id]):
        if free > 0:
            s.pools[pool_id][shard] -= 1
            return shard
    return None


class FakeSeats:
    def __init__(self, s: State) -> None:
        self.s = s

    async def take(self, pool_id: UUID) -> int | None:
        return _take(self.s, pool_id)

    async def release(self, pool_id: UUID, shard: int) -> None:
        self.s.pools[pool_id][shard] += 1

    async def available(self, pool_id: UUID) -> int:
        return sum(self.s.pools.get(pool_id, []))


class FakeDiscountCodes:
    def __init__(self, s: State) -> None:
        self.s = s

    async def use(self, discount: DiscountCode) -> bool:
        code, used, most = self.s.discount_codes[discount.id]
        if used >= most:
            return False
        self.s.discount_codes[discount.id] = (code, used + 1, most)
        return True

    async def give_back_use(self, registration_id: UUID) -> None:
        payer = self.s.payers[registration_id]
        if payer["holds_use"]:
            code, used, most = self.s.discount_codes[payer["discount_code_id"]]
            self.s.discount_codes[payer["discount_code_id"]] = (code, used - 1, most)
            payer["holds_use"] = False

    async def take_again(self, registration_id: UUID) -> bool:
        payer = self.s.payers[registration_id]
        if payer["discount_code_id"] is None or payer["holds_use"]:
            return True
        code, used, most = self.s.discount_codes[payer["discount_code_id"]]
        if used >= most:
            return False
        self.s.discount_codes[payer["discount_code_id"]] = (code, used + 1, most)
        payer["holds_use"] = True
        return True

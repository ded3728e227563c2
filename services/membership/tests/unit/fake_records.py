"""Fake repositories of payments, seats and sign-in sessions, and the fake read-side views,
over the unit tier's `FakeStore`."""

from datetime import datetime
from typing import Any
from uuid import UUID

from membership.domain.errors import SeatHeldAlready
from membership.domain.model import HeldSeat, Seat

from .fake_store import FakeStore

Row = dict[str, Any]


class FakePayments:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def reference_exists(self, reference: str) -> bool:
        return reference in self.store.payments

    async def add(
        self,
        payment_id: UUID,
        membership_id: UUID,
        amount_minor: int,
        currency: str,
        method: str,
        reference: str,
        paid_at: datetime,
        kind: str = "join",
        payment_intent: str | None = None,
    ) -> bool:
        if reference in self.store.payments:
            return False
        self.store.payments[reference] = {
            "id": payment_id,
            "membership_id": membership_id,
            "amount_minor": amount_minor,
            "currency": currency,
            "method": method,
            "kind": kind,
            "reference": reference,
            "paid_at": paid_at,
            "refunded_minor": 0,
            "payment_intent": payment_intent,
        }
        return True

    async def record_refund(self, payment_intent: str, refunded_minor: int) -> None:
        for payment in self.store.payments.values():
            if payment["payment_intent"] == payment_intent:
                payment["refunded_minor"] = max(payment["refunded_minor"], refunded_minor)

    async def of_member(self, member_id: UUID) -> list[Row]:
        rows = []
        for payment in sorted(self.store.payments.values(), key=lambda p: p["paid_at"]):
            membership = self.store.memberships[payment["membership_id"]]
            if membership.member_id == member_id:
                row = {k: v for k, v in payment.items() if k != "payment_intent"}
                rows.append(row | {"level_name": self.store.levels[membership.level_id].name})
        return rows

    async def record_stripe_event(self, event_id: str, event_type: str) -> bool:
        if event_id in self.store.stripe_events:
            return False
        self.store.stripe_events.add(event_id)
        return True


class FakeSeats:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    def _held(self, membership_id: UUID) -> list[Seat]:
        rows = self.store.seats.values()
        seats = [r["seat"] for r in rows if r["membership_id"] == membership_id and r["removed_at"] is None]
        return sorted(seats, key=lambda seat: seat.assigned_at)

    async def held(self, membership_id: UUID) -> list[Seat]:
        return self._held(membership_id)

    async def count_held(self, membership_id: UUID) -> int:
        return len(self._held(membership_id))

    async def add(self, membership_id: UUID, seat: Seat) -> None:
        if any(held.email == seat.email for held in self._held(membership_id)):
            raise SeatHeldAlready(seat.email)
        self.store.seats[seat.id] = {"membership_id": membership_id, "seat": seat, "removed_at": None}

    async def remove(self, membership_id: UUID, seat_id: UUID, at: datetime) -> str | None:
        row = self.store.seats.get(seat_id)
        if row is None or row["membership_id"] != membership_id or row["removed_at"] is not None:
            return None
        row["removed_at"] = at
        email: str = row["seat"].email
        return email

    async def remove_all_of(self, email: str) -> list[HeldSeat]:
        held = []
        for seat_id in [i for i, r in self.store.seats.items() if r["seat"].email == email]:
            row = self.store.seats.pop(seat_id)
            if row["removed_at"] is None:
                contact = self.store.memberships[row["membership_id"]].member_id
                held.append(HeldSeat(seat_id, row["membership_id"], contact))
        return held


class FakeSessions:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def add_link(self, token_sha256: bytes, member_id: UUID, expires_at: datetime) -> None:
        self.store.links[token_sha256] = {"member_id": member_id, "expires_at": expires_at, "used_at": None}

    async def use_link(self, token_sha256: bytes, now: datetime) -> UUID | None:
        link = self.store.links.get(token_sha256)
        if link is None or link["used_at"] is not None or link["expires_at"] <= now:
            return None
        link["used_at"] = now
        member_id: UUID = link["member_id"]
        return member_id

    async def add_session(self, token_sha256: bytes, member_id: UUID, expires_at: datetime) -> None:
        self.store.sessions[token_sha256] = {"member_id": member_id, "expires_at": expires_at}

    async def end_all_of(self, member_id: UUID) -> None:
        for table in (self.store.links, self.store.sessions):
            for token in [t for t, row in table.items() if row["member_id"] == member_id]:
                del table[token]


class FakeViews:
    """The read side the unit tier needs; the dashboard and the operators' search are queries
    worth testing only against Postgres (test_operator_pages.py, test_members_and_operators.py)."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def memberships_by_status(self) -> list[Row]:
        counts: dict[str, int] = {}
        for m in self.store.memberships.values():
            counts[m.status.value] = counts.get(m.status.value, 0) + 1
        return [{"status": status, "n": n} for status, n in counts.items()]

    async def renewals_due(self, statuses: list[str], start: datetime, end: datetime) -> list[Row]:
        raise NotImplementedError("a Postgres query: see test_operator_pages.py")

    async def audit_log(self, limit: int, offset: int) -> list[Row]:
        raise NotImplementedError("written in the Postgres unit of work: see test_audit_log.py")

    async def dues_received(self, timezone: str, since: datetime) -> list[Row]:
        raise NotImplementedError("a Postgres query: see test_operator_pages.py")

    async def new_members(self, timezone: str, since: datetime) -> list[Row]:
        raise NotImplementedError("a Postgres query: see test_operator_pages.py")

    async def search_members(
        self,
        q: str | None,
        status: str | None,
        expires_before: datetime | None,
        level_id: UUID | None,
        limit: int,
        offset: int,
    ) -> list[Row]:
        raise NotImplementedError("a Postgres query: see test_members_and_operators.py")

    async def member_history(self, member_id: UUID) -> dict[str, Any] | None:
        raise NotImplementedError("a Postgres query: see test_members_and_operators.py")

    async def seats_of(self, member_id: UUID, email: str) -> list[Row]:
        rows = []
        for row in self.store.seats.values():
            seat: Seat = row["seat"]
            if self.store.memberships[row["membership_id"]].member_id == member_id or seat.email == email:
                rows.append(
                    {
                        "membership_id": row["membership_id"],
                        "email": seat.email,
                        "name": seat.name,
                        "assigned_at": seat.assigned_at,
                        "removed_at": row["removed_at"],
                    }
                )
        return rows

    async def member_of_session(self, token_sha256: bytes, now: datetime) -> UUID | None:
        session = self.store.sessions.get(token_sha256)
        if session is None or session["expires_at"] <= now:
            return None
        member_id: UUID = session["member_id"]
        return member_id


class FakeExports:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def add(self, request_id: UUID, member_id: UUID, at: datetime) -> None:
        self.store.exports[request_id] = {"member_id": member_id, "parts": {}}

    async def parts(self, request_id: UUID, member_id: UUID) -> dict[str, Any] | None:
        found = self.store.exports.get(request_id)
        if found is None or found["member_id"] != member_id:
            return None
        parts: dict[str, Any] = dict(found["parts"])
        return parts

    async def forget_of(self, member_id: UUID) -> None:
        self.store.exports = {k: v for k, v in self.store.exports.items() if v["member_id"] != member_id}

"""The views as the unit-tested use cases read them, over fake_state.State."""

from datetime import datetime
from typing import Any
from uuid import UUID

from conference.domain.model import DiscountCode, RegistrationStatus

from .fake_state import Database, State, facts


class FakeViews:
    """The reads the unit-tested use cases make; the operators' lists and reports answer empty."""

    def __init__(self, s: State | None = None, database: "Database | None" = None) -> None:
        self._fixed, self._database = s, database

    @property
    def s(self) -> State:
        if self._fixed is not None:
            return self._fixed
        assert self._database is not None
        return self._database.state

    async def discount_code(self, conference_id: UUID, code: str) -> DiscountCode | None:
        for found, _, _ in self.s.discount_codes.values():
            if found.code == code:
                return found
        return None

    async def is_member(self, email: str) -> bool:
        return email.lower() in self.s.members

    async def unpaid_seats(
        self, conference_id: UUID, client_address: str | None, payer_email: str, now: datetime
    ) -> tuple[int, int]:
        by_client = by_email = 0
        for r in self.s.registrations.values():
            if r.conference_id != conference_id or r.status is not RegistrationStatus.HELD or r.hold_expires_at <= now:
                continue
            seats = sum(1 for a in self.s.attendees.values() if a["registration_id"] == r.id)
            by_client += seats if self.s.payers[r.id].get("client_address") == client_address else 0
            by_email += seats if r.payer_email == payer_email else 0
        return by_client, by_email

    async def holds_past(self, now: datetime) -> list[Any]:
        return [
            {"id": r.id, "checkout_session_id": r.checkout_session_id}
            for r in self.s.registrations.values()
            if r.status is RegistrationStatus.HELD and r.hold_expires_at <= now
        ]

    async def conference_page(self, conference_id: UUID) -> tuple[Any, list[Any], int | None] | None:
        c = self.s.conferences.get(conference_id)
        if c is None:
            return None
        types = [
            t | {"available": sum(self.s.pools[t["id"]])}
            for t in self.s.ticket_types.values()
            if t["conference_id"] == conference_id
        ]
        return c, types, sum(self.s.pools[conference_id]) if c["capacity"] is not None else None

    async def open_conferences(self, now: datetime) -> list[Any]:
        return [c for c in self.s.conferences.values() if c["status"] == "open" and c["registration_closes_at"] > now]

    async def registration_for_attendee(self, registration_id: UUID) -> tuple[Any, Any, list[Any]] | None:
        r = self.s.registrations.get(registration_id)
        if r is None:
            return None
        c = self.s.conferences[r.conference_id]
        row = {
            "status": r.status.value,
            "amount_minor": r.amount_minor,
            "refunded_minor": r.refunded_minor,
            "hold_expires_at": r.hold_expires_at,
            "full_refund_until": c["full_refund_until"],
            "partial_refund_until": c["partial_refund_until"],
            "partial_refund_percent": c["partial_refund_percent"],
        }
        return (row, *facts(self.s, registration_id))

    async def registration_details(self, registration_id: UUID) -> tuple[Any, list[Any]] | None:
        return None

    async def registrations_of(self, email: str) -> list[Any]:
        return []

    async def member_offer(self, attendee_id: UUID) -> Any:
        a = self.s.attendees.get(attendee_id)
        if a is None:
            return None
        r = self.s.registrations[a["registration_id"]]
        mine = [t for t in self.s.tickets if t["attendee_id"] == attendee_id]
        return {
            "registration_id": r.id,
            "name": a["name"],
            "email": a["email"],
            "status": r.status.value,
            "hold_expires_at": r.hold_expires_at,
            "currency": r.currency,
            "registration_amount": r.amount_minor,
            "checkout_session_id": r.checkout_session_id,
            "conference_name": self.s.conferences[r.conference_id]["name"],
            "amount": sum(t["price"] for t in mine),
            "member_amount": sum(t["price"] if t["member_price"] is None else t["member_price"] for t in mine),
            "pending": sum(1 for t in mine if t["member_price"] is not None),
        }

    async def registration_of_attendee(self, attendee_id: UUID) -> UUID | None:
        found = self.s.attendees.get(attendee_id)
        return found["registration_id"] if found else None

    async def waitlist_offer(self, entry_id: UUID, token_sha256: bytes) -> Any:
        e = self.s.waitlist.get(entry_id)
        if e is None or e.offer_token_sha256 != token_sha256:
            return None
        c = self.s.conferences[e.conference_id]
        return {
            "id": e.id,
            "conference_id": e.conference_id,
            "conference_name": c["name"],
            "time_zone": c["time_zone"],
            "ticket_type_name": self.s.ticket_types[e.ticket_type_id]["name"],
            "name": e.name,
            "status": e.status.value,
            "offer_expires_at": e.offer_expires_at,
        }

    async def ticket(self, ticket_code: str) -> Any:
        return None

    async def certificate(self, attendee_id: UUID) -> Any:
        return None

    async def conferences(self) -> list[Any]:
        return list(self.s.conferences.values())

    async def conference(self, conference_id: UUID) -> Any:
        return self.s.conferences.get(conference_id)

    async def ticket_types(self, conference_id: UUID) -> list[Any]:
        return [t for t in self.s.ticket_types.values() if t["conference_id"] == conference_id]

    async def discount_codes(self, conference_id: UUID) -> list[Any]:
        return []

    async def registrations(self, conference_id: UUID, search: str, status: str, limit: int) -> list[Any]:
        return []

    async def registration_in_full(self, registration_id: UUID) -> tuple[Any, list[Any]] | None:
        return None

    async def by_ticket_type(self, conference_id: UUID) -> list[Any]:
        return []

    async def registrations_for_export(self, conference_id: UUID) -> list[Any]:
        return []

    async def revenue_by_month(self, conference_id: UUID, zone: str) -> list[Any]:
        return []

    async def registrations_by_day(self, conference_id: UUID, zone: str, days: int) -> list[Any]:
        return []

    async def attendance(self, conference_id: UUID) -> Any:
        return {"attendees": 0, "checked_in": 0}

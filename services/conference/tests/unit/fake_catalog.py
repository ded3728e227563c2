"""Fake repositories of the waitlist, the catalog and attendees, over fake_state.State."""

import copy
import json
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from conference.domain.model import DiscountCode, RegistrationStatus
from conference.domain.waitlist import WaitlistEntry, WaitlistStatus

from .fake_state import State


class FakeWaitlist:
    def __init__(self, s: State) -> None:
        self.s = s

    async def add(self, entry: WaitlistEntry) -> bool:
        if any(
            e.ticket_type_id == entry.ticket_type_id
            and e.email == entry.email
            and e.status in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)
            for e in self.s.waitlist.values()
        ):
            return False
        self.s.waitlist[entry.id] = copy.deepcopy(entry)
        return True

    async def get(self, entry_id: UUID) -> WaitlistEntry | None:
        found = self.s.waitlist.get(entry_id)
        return copy.deepcopy(found) if found else None

    async def first_waiting(self, ticket_type_id: UUID) -> WaitlistEntry | None:
        waiting = [
            e
            for e in self.s.waitlist.values()
            if e.ticket_type_id == ticket_type_id and e.status is WaitlistStatus.WAITING
        ]
        return copy.deepcopy(waiting[0]) if waiting else None

    async def offers_past_deadline(self, now: datetime) -> list[WaitlistEntry]:
        return [
            copy.deepcopy(e)
            for e in self.s.waitlist.values()
            if e.status is WaitlistStatus.OFFERED and e.offer_expires_at is not None and e.offer_expires_at <= now
        ]

    async def save(self, entry: WaitlistEntry) -> None:
        kept = copy.deepcopy(entry)
        kept.events.clear()
        self.s.waitlist[entry.id] = kept

    async def save_passed_on(self, entries: list[WaitlistEntry]) -> None:
        for entry in entries:
            await self.save(entry)

    async def payload(self, entry_id: UUID) -> Any:
        e = self.s.waitlist[entry_id]
        return {
            "id": e.id,
            "conference_id": e.conference_id,
            "name": e.name,
            "email": e.email,
            "conference_name": self.s.conferences[e.conference_id]["name"],
            "ticket_type_id": e.ticket_type_id,
            "ticket_type_name": self.s.ticket_types[e.ticket_type_id]["name"],
        }


class FakeCatalog:
    def __init__(self, s: State) -> None:
        self.s = s

    async def add_conference(self, conference_id: UUID, fields: Any) -> None:
        self.s.conferences[conference_id] = dict(fields) | {
            "id": conference_id,
            "questions": json.dumps(fields["questions"]),
        }
        if fields["capacity"] is not None:
            self.s.pools[conference_id] = [fields["capacity"]]

    async def update_conference(self, conference_id: UUID, fields: Any) -> bool:
        if conference_id not in self.s.conferences:
            return False
        kept = ("currency", "capacity", "questions", "status")
        self.s.conferences[conference_id] |= {k: v for k, v in dict(fields).items() if k not in kept}
        return True

    async def set_status(self, conference_id: UUID, status: str) -> bool:
        if conference_id not in self.s.conferences:
            return False
        self.s.conferences[conference_id]["status"] = status
        return True

    async def conference(self, conference_id: UUID) -> Any:
        return self.s.conferences.get(conference_id)

    async def conference_exists(self, conference_id: UUID) -> bool:
        return conference_id in self.s.conferences

    async def add_ticket_type(self, ticket_type_id: UUID, conference_id: UUID, fields: Any) -> bool:
        if any(
            t["conference_id"] == conference_id and t["name"] == fields["name"] for t in self.s.ticket_types.values()
        ):
            return False
        self.s.ticket_types[ticket_type_id] = (
            {
                "early_member_price_minor": None,
                "early_non_member_price_minor": None,
                "early_bird_until": None,
                "kind": "main",
            }
            | dict(fields)
            | {"id": ticket_type_id, "conference_id": conference_id}
        )
        self.s.pools[ticket_type_id] = [fields["capacity"]]
        return True

    async def add_discount_code(
        self, code_id: UUID, conference_id: UUID, fields: Any
    ) -> Literal["added", "code taken", "no conference"]:
        if conference_id not in self.s.conferences:
            return "no conference"
        ids = fields.get("ticket_type_ids")
        code = DiscountCode(
            code_id,
            fields["code"].upper(),
            fields.get("percent_off"),
            fields.get("amount_off_minor"),
            fields.get("valid_from"),
            fields.get("valid_until"),
            frozenset(ids) if ids is not None else None,
        )
        self.s.discount_codes[code_id] = (code, 0, fields["max_uses"])
        return "added"

    async def conference_of(self, ticket_type_id: UUID) -> UUID:
        found: UUID = self.s.ticket_types[ticket_type_id]["conference_id"]
        return found

    async def ticket_type_belongs(self, ticket_type_id: UUID, conference_id: UUID) -> bool:
        t = self.s.ticket_types.get(ticket_type_id)
        return t is not None and t["conference_id"] == conference_id


class FakeAttendees:
    def __init__(self, s: State) -> None:
        self.s = s

    async def for_check_in(self, ticket_code: str) -> Any:
        for a in self.s.attendees.values():
            r = self.s.registrations[a["registration_id"]]
            if a["ticket_code"] == ticket_code and r.status is RegistrationStatus.CONFIRMED:
                return a | {"conference_id": r.conference_id, "conference": self.s.conferences[r.conference_id]["name"]}
        return None

    async def take_member_price(self, attendee_id: UUID, checkout_session_id: str | None) -> bool:
        r = self.s.registrations[self.s.attendees[attendee_id]["registration_id"]]
        if r.checkout_session_id != checkout_session_id:
            return False
        for t in (t for t in self.s.tickets if t["attendee_id"] == attendee_id and t["member_price"] is not None):
            r.amount_minor -= t["price"] - t["member_price"]
            t["price"], t["member_price"] = t["member_price"], None
        r.checkout_session_id = r.checkout_url = None
        return True

    async def check_in(self, attendee_id: UUID, at: datetime, by: str) -> None:
        self.s.attendees[attendee_id] |= {"checked_in_at": at, "checked_in_by": by}

    async def undo_check_in(self, ticket_code: str) -> bool:
        for a in self.s.attendees.values():
            if a["ticket_code"] == ticket_code and a["checked_in_at"] is not None:
                a["checked_in_at"] = a["checked_in_by"] = None
                return True
        return False

    async def issue_certificates(self, conference_id: UUID, hours: Any, at: datetime) -> list[Any]:
        issued = []
        for a in self.s.attendees.values():
            r = self.s.registrations[a["registration_id"]]
            if (
                r.conference_id == conference_id
                and r.status is RegistrationStatus.CONFIRMED
                and a["checked_in_at"] is not None
                and a["id"] not in self.s.certificates
            ):
                self.s.certificates.add(a["id"])
                issued.append(a)
        return issued

"""The in-memory database the unit tests' fakes share: the tables as dictionaries, and what
tests ask of them."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from conference.domain.model import DiscountCode
from conference.domain.refund import Refund
from conference.domain.registration import Registration
from conference.domain.waitlist import WaitlistEntry
from convene_contracts import Event

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
Shards = list[list[Any]]


@dataclass
class State:
    """Everything the service keeps, as the Postgres tables would hold it."""

    conferences: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    ticket_types: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    pools: dict[UUID, list[int]] = field(default_factory=dict)  # free units per shard
    registrations: dict[UUID, Registration] = field(default_factory=dict)
    payers: dict[UUID, dict[str, Any]] = field(default_factory=dict)  # payer_name, discount_code_id, holds_use
    attendees: dict[UUID, dict[str, Any]] = field(default_factory=dict)
    tickets: list[dict[str, Any]] = field(default_factory=list)  # attendee_id, ticket_type_id, price, shards
    discount_codes: dict[UUID, tuple[DiscountCode, int, int]] = field(default_factory=dict)  # code, used, max
    waitlist: dict[UUID, WaitlistEntry] = field(default_factory=dict)  # in the order they joined
    certificates: set[UUID] = field(default_factory=set)
    outbox: list[Event] = field(default_factory=list)
    members: set[str] = field(default_factory=set)
    stripe_events: set[str] = field(default_factory=set)
    refunds: dict[UUID, Refund] = field(default_factory=dict)


class Database:
    def __init__(self) -> None:
        self.state = State()

    def published(self, event_type: str) -> list[Event]:
        return [e for e in self.state.outbox if e.event_type == event_type]

    def seats_left(self, pool_id: UUID) -> int:
        return sum(self.state.pools[pool_id])

    def attendees_of(self, registration_id: UUID) -> list[dict[str, Any]]:
        return [a for a in self.state.attendees.values() if a["registration_id"] == registration_id]


def facts(s: State, registration_id: UUID) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    r = s.registrations[registration_id]
    c = s.conferences[r.conference_id]
    registration = {
        "conference_id": r.conference_id,
        "conference_name": c["name"],
        "payer_name": s.payers[r.id]["payer_name"],
        "payer_email": r.payer_email,
        "amount_minor": r.amount_minor,
        "currency": r.currency,
        "starts_on": c["starts_on"],
        "ends_on": c["ends_on"],
        "venue": c["venue"],
    }
    attendees = []
    for a in sorted(
        (a for a in s.attendees.values() if a["registration_id"] == registration_id), key=lambda a: a["name"]
    ):
        types = [s.ticket_types[t["ticket_type_id"]]["name"] for t in s.tickets if t["attendee_id"] == a["id"]]
        attendees.append(a | {"types": types})
    return registration, attendees

"""CIT International, the demo association (modelled on an international nonprofit): a
crisis intervention network of individual members, agencies with seats for their officers, an
annual conference and trainings. Plain data; `commands/demo.py` puts it through the services."""

from dataclasses import dataclass
from typing import Any

CURRENCY = "usd"
# The demo's first level: the one `demo` looks for to know the association is seeded already.
MARKER_LEVEL = "Individual Member"

LEVELS: list[dict[str, Any]] = [
    {
        "name": MARKER_LEVEL,
        "price_minor": 7500,
        "term": "annual",
        "description": "For officers, clinicians, advocates and family members who support CIT programs.",
    },
    {
        "name": "Agency Member",
        "price_minor": 50000,
        "term": "annual",
        "kind": "organizational",
        "seat_count": 10,
        "description": "For police departments, crisis centers and health agencies: ten seats for their staff.",
    },
    {
        "name": "Student Member",
        "price_minor": 2500,
        "term": "annual",
        "description": "For students of social work, nursing, psychology and criminal justice.",
    },
]


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    level: str
    how: str  # "stripe": joins and pays by card; "pending": joins, never pays; "cheque": paid offline
    # For cheques, how long ago it was paid: a year's dues paid 380 days ago ended 15 days ago, so
    # the member is in grace (30 days, GRACE_DAYS); paid 450 days ago, they have lapsed.
    paid_days_ago: int = 0
    organization: str | None = None


MEMBERS = [
    Person("Maria Alvarez", "maria.alvarez@example.org", MARKER_LEVEL, "stripe"),
    Person("Sam Okafor", "sam.okafor@example.org", MARKER_LEVEL, "stripe"),
    Person("Priya Natarajan", "priya.natarajan@example.org", "Student Member", "stripe"),
    Person(
        "Jordan Lee", "jordan.lee@example.org", "Agency Member", "stripe", organization="Metro City Police Department"
    ),
    Person("Chris Dunn", "chris.dunn@example.org", MARKER_LEVEL, "pending"),
    Person("Renee Walker", "renee.walker@example.org", MARKER_LEVEL, "cheque", paid_days_ago=380),
    Person("Tom Becker", "tom.becker@example.org", MARKER_LEVEL, "cheque", paid_days_ago=450),
]

CONFERENCE: dict[str, Any] = {
    "name": "CIT International Conference 2027",
    "venue": "Hyatt Regency, Chicago",
    "time_zone": "America/Chicago",
    "certificate_hours": 14.5,
}
FULL = "Full conference"
TRAINING = "CIT Coordinator Training"
TICKET_TYPES: list[dict[str, Any]] = [
    {"name": FULL, "capacity": 400, "member_price_minor": 45000, "non_member_price_minor": 60000},
    # Two seats, so the demo's registrations sell it out and someone waits for a place.
    {"name": TRAINING, "capacity": 2, "member_price_minor": 15000, "non_member_price_minor": 20000},
]
# (payer, email, ticket types, paid?)
REGISTRATIONS = [
    ("Maria Alvarez", "maria.alvarez@example.org", [FULL, TRAINING], True),
    ("Sam Okafor", "sam.okafor@example.org", [FULL], True),
    ("Alex Romero", "alex.romero@example.org", [FULL, TRAINING], True),
    ("Chris Dunn", "chris.dunn@example.org", [FULL], False),
]
WAITLIST = [("Dana Whitfield", "dana.whitfield@example.org", TRAINING)]

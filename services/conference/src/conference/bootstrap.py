"""Wires the conference service together."""

from pathlib import Path

from conference.config import ConferenceSettings
from conference.entrypoints.http import router
from conference.entrypoints.subscribers import subscribe
from convene_contracts import CONFERENCE, MEMBERSHIP
from convene_delivery.runtime import ServiceSpec

SPEC = ServiceSpec(
    name="conference",
    settings_class=ConferenceSettings,
    migrations=Path(__file__).parent / "migrations",
    topics=[MEMBERSHIP, CONFERENCE],
    routers=[router],
    start=subscribe,
    description="Conferences, ticket types, holds and registrations. Publishes convene.conference.v1.",
)

"""Wires the membership service together: settings, migrations, topics, routes."""

from pathlib import Path

from convene_contracts import MEMBERSHIP
from convene_delivery.runtime import ServiceSpec
from membership.config import MembershipSettings
from membership.entrypoints.http import router

SPEC = ServiceSpec(
    name="membership",
    settings_class=MembershipSettings,
    migrations=Path(__file__).parent / "migrations",
    topics=[MEMBERSHIP],
    routers=[router],
    description="Levels, members, memberships and dues. Publishes convene.membership.v1.",
)

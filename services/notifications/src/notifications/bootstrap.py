"""Wires the notifications service together."""

from pathlib import Path

from convene_contracts import MEMBERSHIP, NOTIFICATIONS
from convene_delivery.runtime import ServiceSpec
from notifications.config import NotificationsSettings
from notifications.entrypoints.subscribers import subscribe

SPEC = ServiceSpec(
    name="notifications",
    settings_class=NotificationsSettings,
    migrations=Path(__file__).parent / "migrations",
    topics=[MEMBERSHIP, NOTIFICATIONS],
    start=subscribe,
    description="Turns every fact into exactly one email. Publishes convene.notifications.v1.",
)

"""Kafka topic names. One topic per producing service and major version; key = aggregate id."""

from typing import Final

MEMBERSHIP: Final = "convene.membership.v1"
CONFERENCE: Final = "convene.conference.v1"
NOTIFICATIONS: Final = "convene.notifications.v1"

ALL_TOPICS: Final = (MEMBERSHIP, CONFERENCE, NOTIFICATIONS)


def dead_letter_topic(topic: str) -> str:
    """Where a consumer parks messages of `topic` that it could not process."""
    return f"{topic}.dlq"

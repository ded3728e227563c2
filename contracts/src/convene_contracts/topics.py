"""Kafka topic names. One topic per producing service and major version; key = aggregate id."""

from typing import Final

MEMBERSHIP: Final = "convene.membership.v1"
CONFERENCE: Final = "convene.conference.v1"
NOTIFICATIONS: Final = "convene.notifications.v1"

# Each service's part of a person's export: personal data, kept by Kafka for a day only.
EXPORTS: Final = "convene.exports.v1"

ALL_TOPICS: Final = (MEMBERSHIP, CONFERENCE, NOTIFICATIONS, EXPORTS)
# Topics that keep their events less long than the services' KAFKA_RETENTION_DAYS, in days.
SHORT_RETENTION_DAYS: Final = {EXPORTS: 1.0}


def dead_letter_topic(topic: str) -> str:
    """Where a consumer parks messages of `topic` that it could not process."""
    return f"{topic}.dlq"

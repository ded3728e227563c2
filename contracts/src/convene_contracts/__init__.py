"""Convene's event contracts: the only code the services share about each other."""

from convene_contracts.envelope import Event, RawEvent
from convene_contracts.registry import EVENT_TYPES, parse_event
from convene_contracts.topics import ALL_TOPICS, CONFERENCE, EXPORTS, MEMBERSHIP, NOTIFICATIONS, dead_letter_topic

__all__ = [
    "ALL_TOPICS",
    "CONFERENCE",
    "EVENT_TYPES",
    "EXPORTS",
    "MEMBERSHIP",
    "NOTIFICATIONS",
    "Event",
    "RawEvent",
    "dead_letter_topic",
    "parse_event",
]

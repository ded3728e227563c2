"""The envelope every Convene event travels in.

Each concrete event subclasses `Event`, fixes `event_type` to a literal and types `payload`.
Consumers ignore fields they do not know, so producers may add optional fields within a version.
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator


def utc_now() -> datetime:
    return datetime.now(UTC)


class Payload(BaseModel):
    """Base of every payload: immutable, unknown fields ignored (additive changes are safe)."""

    model_config = ConfigDict(frozen=True, extra="ignore")


class _EnvelopeFields(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: UUID = Field(default_factory=uuid4, description="Unique id; consumers deduplicate on it.")
    event_type: str = Field(description="What happened, e.g. 'membership.activated'.")
    schema_version: int = Field(default=1, ge=1, description="Version of this event type's payload.")
    occurred_at: AwareDatetime = Field(default_factory=utc_now, description="When it happened, in UTC.")
    producer: str = Field(description="The service that published the event.")
    correlation_id: UUID = Field(description="Shared by every event and request of one flow.")
    causation_id: UUID | None = Field(default=None, description="The event or request that caused this one.")

    @field_validator("occurred_at")
    @classmethod
    def _in_utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)


class RawEvent(_EnvelopeFields):
    """An envelope whose payload is not interpreted yet: enough to route, deduplicate or skip."""

    payload: dict[str, Any]


class Event(_EnvelopeFields):
    """Base of every typed event. Subclasses narrow `event_type` and `payload`."""

    payload: Payload

    def aggregate_id(self) -> str:
        """The message key: one entity's events share a partition and so keep their order."""
        raise NotImplementedError

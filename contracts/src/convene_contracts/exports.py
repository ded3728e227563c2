"""A person's data from every service in one download (M10): membership asks, each service
answers with its part on `convene.exports.v1`, whose retention is a day (docs/privacy.md)."""

from typing import Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from convene_contracts.envelope import Event, Payload


class ExportRequestedPayload(Payload):
    request_id: UUID
    member_id: UUID
    email_sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="convene_contracts.privacy.email_digest() of the member's address."
    )
    requested_at: AwareDatetime


class ExportRequested(Event):
    """A member asked for everything Convene holds about them; each service answers with its part."""

    event_type: Literal["membership.export_requested"] = "membership.export_requested"
    payload: ExportRequestedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.member_id)


class ExportPartPayload(Payload):
    request_id: UUID
    service: Literal["conference", "notifications"]
    data: dict[str, Any] = Field(description="What that service holds about the person, as JSON.")


class ExportPart(Event):
    """One service's part of an export; personal data, on the short-lived exports topic only.
    Each producer has its own event type (`conference.export_part`, `notification.export_part`)."""

    payload: ExportPartPayload

    def aggregate_id(self) -> str:
        return str(self.payload.request_id)


class ConferenceExportPart(ExportPart):
    """Conference's part of a person's export."""

    event_type: Literal["conference.export_part"] = "conference.export_part"


class NotificationExportPart(ExportPart):
    """Notifications' part of a person's export."""

    event_type: Literal["notification.export_part"] = "notification.export_part"

"""Audit entries that conference and notifications publish so membership can show owners one
audit log of every service (docs/staff.md). Key: the entry id."""

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, Field

from convene_contracts.envelope import Event, Payload


class AuditRecordedPayload(Payload):
    entry_id: UUID
    service: str = Field(examples=["conference", "notifications"])
    staff_id: UUID | None = Field(description="None for the bootstrap operator token.")
    staff_name: str
    action: str = Field(examples=["check_in", "issue_comp", "resend"])
    target: str = Field(description="The ids in the request's path.")
    summary: str
    client: str = Field(description="The client address the change came from.")
    recorded_at: AwareDatetime


class AuditRecorded(Event):
    """What every audit event says (each service publishes its own type)."""

    payload: AuditRecordedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.entry_id)


class ConferenceAuditRecorded(AuditRecorded):
    """A staff member changed something in conference."""

    event_type: Literal["conference.audit_recorded"] = "conference.audit_recorded"


class NotificationAuditRecorded(AuditRecorded):
    """A staff member changed something in notifications (a resend)."""

    event_type: Literal["notification.audit_recorded"] = "notification.audit_recorded"

"""Events published by the notifications service on `convene.notifications.v1` (key: delivery id)."""

from typing import Literal
from uuid import UUID

from pydantic import Field

from convene_contracts.envelope import Event, Payload


class DeliveryPayload(Payload):
    delivery_id: UUID
    event_id: UUID = Field(description="The event the email was about.")
    event_type: str
    template: str
    attempts: int = Field(ge=0)


class NotificationSent(Event):
    """The SMTP server accepted the email."""

    event_type: Literal["notification.sent"] = "notification.sent"
    payload: DeliveryPayload

    def aggregate_id(self) -> str:
        return str(self.payload.delivery_id)


class NotificationFailedPayload(DeliveryPayload):
    error: str = Field(description="The last SMTP answer or connection error.")
    permanent: bool = Field(description="True: the server refused for good (5xx); False: retries ran out.")


class NotificationFailed(Event):
    """The email could not be delivered; an operator can resend it from the delivery log."""

    event_type: Literal["notification.failed"] = "notification.failed"
    payload: NotificationFailedPayload

    def aggregate_id(self) -> str:
        return str(self.payload.delivery_id)

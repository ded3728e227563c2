"""Notifications settings: the shared ones plus SMTP and the association's identity."""

from pydantic import Field

from convene_delivery.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    smtp_host: str
    smtp_port: int = Field(ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_from: str = Field(pattern=r"^[^@\s]+@[^@\s]+$", description="Sender address of every email.")
    association_name: str = Field(min_length=1, examples=["CIT International"])
    resend_pending_after_seconds: float = Field(default=30, gt=0)

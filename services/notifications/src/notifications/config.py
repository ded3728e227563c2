"""Notifications settings: the shared ones, SMTP, sending, and the association's identity."""

from pathlib import Path
from typing import Self

from pydantic import Field, model_validator

from convene_web.settings import WebSettings


class NotificationsSettings(WebSettings):
    smtp_host: str
    smtp_port: int = Field(ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = Field(default=False, description="Upgrade the connection with STARTTLS.")
    smtp_implicit_tls: bool = Field(default=False, description="Connect with TLS from the start (port 465).")
    smtp_ca_file: Path | None = Field(default=None, description="PEM bundle of CAs to trust for the SMTP server.")
    smtp_from: str = Field(pattern=r"^[^@\s]+@[^@\s]+$", description="Sender address of every email.")
    # Required here (WebSettings has a default): it signs every email the association sends.
    association_name: str = Field(min_length=1, examples=["CIT International"])
    templates_override_dir: Path | None = Field(default=None, description="Operators' templates, same names.")
    unsubscribe_secret: str = Field(min_length=32, description="Signs the one-click unsubscribe links.")
    public_base_url: str = Field(default="http://127.0.0.1:8003", description="Where unsubscribe links point.")
    send_max_attempts: int = Field(default=5, ge=1, le=50, description="SMTP tries before a delivery fails.")
    send_backoff_seconds: float = Field(default=30, gt=0, description="First retry delay; doubles, with jitter.")
    send_rate_per_second: float = Field(default=50, gt=0, description="Most emails sent per second (N6).")
    sender_poll_seconds: float = Field(default=2, gt=0)
    smtp_timeout_seconds: float = Field(default=30, gt=0, description="Longest one email's SMTP exchange may take.")
    delivery_bodies_retention_days: float = Field(
        default=90, gt=0, description="A sent or failed email's bodies and attachments are kept this long."
    )
    send_lease_seconds: float = Field(
        default=120, gt=0, description="How long a worker keeps the emails it claimed; a crashed one's go after it."
    )

    @model_validator(mode="after")
    def _lease_outlasts_sends(self) -> Self:
        # A worker starts a send only while a whole send timeout and one more are left of its lease
        # (service_layer/sending.py), so the lease has to hold at least three.
        if self.send_lease_seconds < 3 * self.smtp_timeout_seconds:
            raise ValueError("send_lease_seconds must be at least three times smtp_timeout_seconds")
        return self

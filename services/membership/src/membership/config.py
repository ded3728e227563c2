"""Membership settings: the shared ones (pages included) plus Stripe's and the dues calendar's."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from convene_service.payments import DEFAULT_MAX_NETWORK_RETRIES, DEFAULT_TIMEOUT_SECONDS
from convene_web.settings import WebSettings


class MembershipSettings(WebSettings):
    stripe_secret_key: str = Field(pattern=r"^sk_(test|live)_", description="Stripe secret API key.")
    stripe_webhook_secret: str = Field(pattern=r"^whsec_", description="Signing secret of the webhook endpoint.")
    stripe_api_base: str | None = Field(default=None, description="Override Stripe's API address (stripe-mock).")
    stripe_webhook_tolerance_seconds: int = Field(default=300, ge=1)
    stripe_timeout_seconds: float = Field(
        default=DEFAULT_TIMEOUT_SECONDS, gt=0, le=80, description="Longest wait for one Stripe attempt."
    )
    stripe_max_network_retries: int = Field(
        default=DEFAULT_MAX_NETWORK_RETRIES, ge=0, le=5, description="Retries of a timed-out or failed Stripe call."
    )
    association_timezone: str = Field(default="UTC", description="IANA zone periods are counted in.")
    grace_days: int = Field(default=30, ge=0)
    reminder_days: list[int] = Field(default=[30, 7, 1], description="Days before period end; JSON list.")
    auto_renew_settle_hours: int = Field(default=48, ge=0, description="Wait for Stripe's renewal before grace.")
    checkout_expires_minutes: int = Field(default=60, ge=30, le=1440, description="Stripe allows 30 min to 24 h.")
    sign_in_link_minutes: int = Field(default=15, ge=1, le=1440)
    session_days: int = Field(default=30, ge=1)
    scheduler_interval_seconds: float = Field(default=60, gt=0)

    @field_validator("association_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as America/Toronto)") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.association_timezone)

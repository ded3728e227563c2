"""Membership settings: the shared ones (pages included) plus Stripe's and the dues calendar's."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator

from convene_service.payments import StripeSettings
from convene_web.settings import WebSettings


class MembershipSettings(WebSettings, StripeSettings):
    association_timezone: str = Field(default="UTC", description="IANA zone periods are counted in.")
    grace_days: int = Field(default=30, ge=0)
    reminder_days: list[int] = Field(default=[30, 7, 1], description="Days before period end; JSON list.")
    auto_renew_settle_hours: int = Field(default=48, ge=0, description="Wait for Stripe's renewal before grace.")
    checkout_expires_minutes: int = Field(default=60, ge=30, le=1440, description="Stripe allows 30 min to 24 h.")
    sign_in_link_minutes: int = Field(default=15, ge=1, le=1440)
    session_days: int = Field(default=30, ge=1)
    scheduler_interval_seconds: float = Field(default=60, gt=0)
    export_retention_days: float = Field(default=1, gt=0, description="A gathered export is kept this long.")
    import_max_megabytes: float = Field(default=10, gt=0, description="The largest member import file taken.")
    import_batch_rows: int = Field(default=500, ge=1, le=10_000, description="Rows an import applies per transaction.")
    import_retention_days: float = Field(default=30, gt=0, description="A checked import's rows are kept this long.")
    import_poll_seconds: float = Field(default=1, gt=0, description="How often the import job looks for work.")

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

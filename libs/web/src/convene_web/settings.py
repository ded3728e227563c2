"""Settings every service with pages shares: the session secret, cookies, where each service's
pages live, and the association's look. Each service's settings class extends `WebSettings`."""

from pydantic import Field, field_validator

from convene_service.settings import ServiceSettings

PAGES_URL = r"^https?://[^/\s]+(/[^\s]*)?$"


class WebSettings(ServiceSettings):
    session_secret: str = Field(
        min_length=32, description="Signs session and CSRF cookies; the same value in every service."
    )
    cookie_secure: bool = Field(default=True, description="Cookies over HTTPS only; false for http://127.0.0.1.")
    member_session_hours: int = Field(default=720, ge=1, description="How long a member stays signed in.")
    operator_session_hours: int = Field(default=12, ge=1, description="How long an operator stays signed in.")
    # Base addresses people reach each service's pages at (locally one port each; behind the proxy
    # one origin), for links between services: membership's /membership/..., conference's
    # /events/..., notifications' /mail/....
    membership_pages_url: str = Field(default="http://127.0.0.1:8001", pattern=PAGES_URL)
    conference_pages_url: str = Field(default="http://127.0.0.1:8002", pattern=PAGES_URL)
    notifications_pages_url: str = Field(default="http://127.0.0.1:8003", pattern=PAGES_URL)
    association_name: str = Field(default="Convene", min_length=1, examples=["CIT International"])
    association_colour: str = Field(default="#1d4ed8", pattern=r"^#[0-9a-fA-F]{6}$", description="Header colour.")
    association_logo_url: str | None = Field(default=None, description="Logo shown beside the name (optional).")
    association_address: str = Field(default="", description="Postal address printed in every footer.")

    @field_validator("membership_pages_url", "conference_pages_url", "notifications_pages_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("association_logo_url")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

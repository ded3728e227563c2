"""The operator command line's settings, read from environment variables (pydantic-settings),
the same names the services and deploy/env use where they mean the same thing."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class OperatorSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    membership_database_url: str = "postgresql://convene@127.0.0.1:5433/membership"
    conference_database_url: str = "postgresql://convene@127.0.0.1:5433/conference"
    notifications_database_url: str = "postgresql://convene@127.0.0.1:5433/notifications"
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    membership_url: str = "http://127.0.0.1:8001"
    conference_url: str = "http://127.0.0.1:8002"
    notifications_url: str = "http://127.0.0.1:8003"
    # A staff member's API token (docs/staff.md), sent as `Authorization: Bearer <token>`.
    operator_api_token: str = Field(default="", repr=False)

    def databases(self) -> dict[str, str]:
        """Each service's database, by service name."""
        return {
            "membership": self.membership_database_url,
            "conference": self.conference_database_url,
            "notifications": self.notifications_database_url,
        }

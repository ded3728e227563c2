"""Where the operator command line finds Convene: one place, read from environment variables
(pydantic-settings, like the services). Every field is optional here, so `--help` and commands
that need only some of them run without the rest; `require` names the variable a command lacks."""

from typing import Literal, NoReturn

import typer
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from convene_operator.exits import USAGE

Service = Literal["membership", "conference", "notifications"]
SERVICES: tuple[Service, ...] = ("membership", "conference", "notifications")


class OperatorSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    membership_database_url: str | None = Field(default=None, description="PostgreSQL DSN of membership's database.")
    conference_database_url: str | None = Field(default=None, description="PostgreSQL DSN of conference's database.")
    notifications_database_url: str | None = Field(
        default=None, description="PostgreSQL DSN of notifications' database."
    )
    kafka_bootstrap_servers: str | None = Field(default=None, description="host:port[,host:port...] of Kafka.")
    membership_api_url: str | None = Field(default=None, description="Base URL of membership's JSON API.")
    conference_api_url: str | None = Field(default=None, description="Base URL of conference's JSON API.")
    notifications_api_url: str | None = Field(default=None, description="Base URL of notifications' JSON API.")
    operator_api_token: str | None = Field(
        default=None, description="A staff member's API token (docs/staff.md), for commands that go through an API."
    )
    # Inside a service's container: the image names its service and the service's own DSN is set,
    # so `convene-admin migrate --service membership` there needs nothing more.
    convene_service: str | None = Field(default=None, description="The service whose image this is (set by it).")
    own_database_url: str | None = Field(
        default=None, validation_alias="DATABASE_URL", description="That service's own DSN, as it reads it."
    )
    http_timeout_seconds: float = Field(default=30, gt=0, description="How long one call to a service's API may take.")

    def database_url(self, service: Service) -> str:
        if not getattr(self, f"{service}_database_url") and self.convene_service == service and self.own_database_url:
            return self.own_database_url
        return self.require(f"{service}_database_url")

    def databases(self) -> dict[str, str]:
        """Each service's database, by service name (every one required)."""
        return {service: self.database_url(service) for service in SERVICES}

    def api_url(self, service: Service) -> str:
        return self.require(f"{service}_api_url").rstrip("/")

    def require(self, field: str) -> str:
        value = getattr(self, field)
        if not value:
            fail_usage(f"{field.upper()}: is required by this command but not set")
        return str(value)


def fail_usage(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(USAGE)


def load() -> OperatorSettings:
    """The settings, or exit 2 with one line per invalid variable."""
    try:
        return OperatorSettings()
    except ValidationError as error:
        for problem in error.errors():
            typer.echo(f"{str(problem['loc'][0]).upper()}: {problem['msg']}", err=True)
        raise typer.Exit(USAGE) from None

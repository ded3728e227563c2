"""Configuration every service shares, read from environment variables at start.

A missing or invalid variable stops the service with a message that names the variable.
"""

import ipaddress
from typing import Any, Literal, TypeVar

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from convene_service.demo_values import is_published


class ConfigurationError(SystemExit):
    """Raised at start when the environment does not describe a runnable service."""


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    # First, so that it is known when the secrets after it are checked. Only deploy/env/*.env (the
    # local stack and the tests) says development; anything else runs as production.
    convene_environment: Literal["development", "production"] = Field(
        default="production",
        description="development accepts the demo secrets published in deploy/env; production refuses them.",
    )
    database_url: str = Field(description="PostgreSQL DSN of this service's own database.")
    kafka_bootstrap_servers: str = Field(description="host:port[,host:port...] of the Kafka brokers.")
    # Delivery safety: anything weaker than these loses or duplicates events, so start-up refuses
    # it (convene_delivery.kafka.require_safe_producer) rather than letting an operator weaken it.
    kafka_acks: str = "all"
    kafka_enable_idempotence: bool = True
    # The topics a service creates at start (convene_delivery.kafka.ensure_topics; docs/operations.md,
    # "Running several instances"). The defaults suit one broker; a three-broker cluster takes 3 and 2.
    kafka_topic_partitions: int = Field(
        default=3, ge=1, le=1000, description="Partitions per topic: the most instances one consumer group can use."
    )
    kafka_topic_replication_factor: int = Field(
        default=1, ge=1, le=32, description="Copies of each partition; at most the number of brokers."
    )
    kafka_topic_min_insync_replicas: int = Field(
        default=1,
        ge=1,
        le=32,
        description="Copies that must have a write before it is acknowledged (acks=all); below the replication "
        "factor, so one broker may be away.",
    )
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=1, le=65535)
    http_workers: int = Field(
        default=1, ge=1, le=64, description="Processes serving HTTP on one port; each also runs the background work."
    )
    operator_token_sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 (hex) of the operator bearer token; the token itself is never stored.",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Addresses (or networks) of the proxies whose X-Forwarded-For/-Proto are believed, "
        "comma-separated: the compose proxy's, so rate limits count each visitor rather than the proxy. A client "
        "connecting from any other address is counted as itself, whatever it sends.",
    )
    rate_limit_per_minute: int = Field(
        default=20,
        ge=1,
        le=1_000_000_000,  # counted in an integer column
        description="Per client address and endpoint, on public endpoints that cost; shared by all instances.",
    )
    rate_limit_retention_days: float = Field(
        default=1, gt=0, description="Rate-limit counts (one row per client and minute) are kept this long."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "text"] = Field(
        default="json",
        description="json: one JSON object per line (docs/operations.md); text: readable, for local work.",
    )
    log_instance: str | None = Field(
        default=None,
        max_length=100,
        description="Names this process in its log lines; unset: the host name and the process id.",
    )
    consumer_max_attempts: int = Field(default=3, ge=1, le=20)
    consumer_backoff_seconds: float = Field(default=0.2, gt=0)
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    # Retention (convene_delivery.retention, docs/architecture.md): periods in days.
    outbox_retention_days: float = Field(default=7, gt=0, description="Published outbox rows are kept this long.")
    kafka_retention_days: float = Field(
        default=7,
        gt=0,
        description="retention.ms of the topics a service creates: how long Kafka keeps the events, which carry "
        "names and addresses (docs/privacy.md).",
    )
    inbox_retention_days: float = Field(
        default=30,
        gt=0,
        description="Inbox rows are kept this long: longer than Kafka keeps a message (KAFKA_RETENTION_DAYS), "
        "or a redelivery after the row went would be applied twice.",
    )
    stripe_events_retention_days: float = Field(
        default=30,
        gt=0,
        description="Ids of applied Stripe webhook events (services that take webhooks); Stripe retries for 3 days.",
    )
    retention_interval_seconds: float = Field(default=3600, gt=0, description="Time between retention passes.")
    retention_batch_size: int = Field(default=1000, ge=1, le=100_000, description="Rows per retention batch.")

    @model_validator(mode="after")
    def _inbox_outlives_the_topics(self) -> "ServiceSettings":
        # The inbox rule (docs/architecture.md): a redelivery must never meet a forgotten inbox row.
        if self.inbox_retention_days <= self.kafka_retention_days:
            raise ValueError("INBOX_RETENTION_DAYS must be longer than KAFKA_RETENTION_DAYS")
        return self

    @model_validator(mode="after")
    def _insync_within_the_copies(self) -> "ServiceSettings":
        # More in-sync copies than copies would refuse every write: say so at start instead.
        if self.kafka_topic_min_insync_replicas > self.kafka_topic_replication_factor:
            raise ValueError("KAFKA_TOPIC_MIN_INSYNC_REPLICAS must not exceed KAFKA_TOPIC_REPLICATION_FACTOR")
        return self

    @field_validator("database_url")
    @classmethod
    def _postgres_dsn(cls, value: str) -> str:
        if not value.startswith(("postgres://", "postgresql://")):
            raise ValueError("must be a postgresql:// URL")
        return value

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        # uvicorn would take "*" (believe every peer) and keep a mistyped address as a name that
        # never matches; either way a client could choose its own address, or the proxy's
        # visitors would all count as one. So each entry must be an address or a network.
        for entry in (part.strip() for part in value.split(",")):
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or network: list the proxies' addresses, comma-separated"
                ) from None
        return value

    @field_validator("*")
    @classmethod
    def _no_published_secret(cls, value: Any, info: ValidationInfo) -> Any:
        # "*" covers the subclasses' fields too (Stripe's keys, the link secrets).
        if info.field_name is None or not isinstance(value, str) or not is_published(info.field_name, value):
            return value
        if info.data.get("convene_environment") == "development":
            return value
        raise ValueError(
            "is a demo value published with Convene; set your own (./convene secrets writes them), "
            "or CONVENE_ENVIRONMENT=development for the local stack"
        )


S = TypeVar("S", bound=ServiceSettings)


def load_settings(settings_class: type[S]) -> S:
    """Reads the settings, turning pydantic's report into one line per bad variable."""
    try:
        return settings_class()
    except ValidationError as error:
        lines = [f"Invalid configuration for {settings_class.__name__}:"]
        for problem in error.errors():
            variable = "_".join(str(part) for part in problem["loc"]).upper()
            message = "is required but not set" if problem["type"] == "missing" else problem["msg"]
            lines.append(f"  {variable}: {message}")
        raise ConfigurationError("\n".join(lines)) from None

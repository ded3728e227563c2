"""A service refuses to start on bad configuration, and says which variable is wrong."""

import os
import subprocess
import sys
from collections.abc import Mapping

import pytest

from tests.support.services import env_file


def start(service: str, changes: Mapping[str, str | None], command: str = "serve") -> subprocess.CompletedProcess[str]:
    env = os.environ | env_file(service) | {"HTTP_PORT": "1"}  # serve never gets as far as listening
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "-m", service, command], env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("service", "changes", "says"),
    [
        ("membership", {"DATABASE_URL": None}, "DATABASE_URL: is required but not set"),
        ("membership", {"DATABASE_URL": "mysql://x"}, "DATABASE_URL: Value error, must be a postgresql:// URL"),
        ("conference", {"STRIPE_SECRET_KEY": "pk_live_123"}, "STRIPE_SECRET_KEY: String should match pattern"),
        ("notifications", {"SMTP_PORT": "smtp"}, "SMTP_PORT: Input should be a valid integer"),
        ("notifications", {"OPERATOR_TOKEN_SHA256": "secret"}, "OPERATOR_TOKEN_SHA256: String should match pattern"),
        ("membership", {"ASSOCIATION_TIMEZONE": "Mars/Olympus"}, "ASSOCIATION_TIMEZONE: Value error, unknown time"),
        # The local stack's published secrets, outside development mode (convene_service.demo_values).
        ("membership", {"CONVENE_ENVIRONMENT": None}, "SESSION_SECRET: Value error, is a demo value published"),
        ("conference", {"CONVENE_ENVIRONMENT": "production"}, "ATTENDEE_LINK_SECRET: Value error, is a demo value"),
    ],
)
def test_a_missing_or_invalid_variable_stops_the_service_naming_it(
    service: str, changes: dict[str, str | None], says: str
) -> None:
    result = start(service, changes)
    assert result.returncode != 0
    assert says in result.stderr


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"KAFKA_ACKS": "1"}, "KAFKA_ACKS='1'"),
        ({"KAFKA_ENABLE_IDEMPOTENCE": "false"}, "KAFKA_ENABLE_IDEMPOTENCE=false"),
    ],
)
def test_a_producer_that_could_lose_or_duplicate_events_is_refused_at_start(changes: dict[str, str], says: str) -> None:
    result = start("membership", changes)
    assert result.returncode != 0
    assert "Refusing to start an unsafe Kafka producer" in result.stderr
    assert says in result.stderr


async def test_the_migrate_command_applies_each_file_once(database: str) -> None:
    first = start("membership", {"DATABASE_URL": database}, "migrate")
    again = start("membership", {"DATABASE_URL": database}, "migrate")
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "applied delivery/0001_outbox_and_inbox.sql",
        "applied delivery/0002_dead_letters.sql",
        "applied delivery/0003_retention.sql",
        "applied delivery/0004_trace_context.sql",
        "applied chassis/0001_rate_limits.sql",
        "applied membership/0001_levels_members_memberships.sql",
        "applied membership/0002_dues_lifecycle.sql",
        "applied membership/0003_retention.sql",
        "applied membership/0004_exports.sql",
        "applied membership/0005_staff.sql",
        "applied membership/0006_audit_log.sql",
        "applied membership/0007_member_imports.sql",
    ]
    assert (again.returncode, again.stdout) == (0, "")

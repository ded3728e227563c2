"""Every command of `convene-admin` explains itself, and the exit codes for bad usage hold. Run
in-process (typer's runner) with none of Convene's settings, and once as a process of its own."""

import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from convene_operator.cli import app
from convene_operator.settings import OperatorSettings

COMMANDS = [
    [],
    ["migrate"],
    ["dlq"],
    ["dlq", "list"],
    ["dlq", "show"],
    ["dlq", "replay"],
    ["outbox"],
    ["outbox", "status"],
    ["reports"],
    ["reports", "members"],
    ["reports", "revenue"],
    ["person"],
    ["person", "export"],
    ["person", "erase"],
]
SETTINGS = (
    "MEMBERSHIP_DATABASE_URL",
    "CONFERENCE_DATABASE_URL",
    "NOTIFICATIONS_DATABASE_URL",
    "KAFKA_BOOTSTRAP_SERVERS",
    "MEMBERSHIP_API_URL",
    "OPERATOR_API_TOKEN",
)


class Answer:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def admin(*args: str, **env: str) -> Answer:
    settings: dict[str, str | None] = dict.fromkeys(SETTINGS) | {"COLUMNS": "200"} | env
    result = CliRunner().invoke(app, list(args), env=settings, prog_name="convene-admin")
    return Answer(result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "root")
def test_every_command_has_help(command: list[str]) -> None:
    answer = admin(*command, "--help")
    assert answer.returncode == 0, answer.stderr
    assert "Usage: " in answer.stdout
    assert f"convene-admin {' '.join(command)}".strip() in answer.stdout


def test_an_unknown_command_or_option_is_bad_usage() -> None:
    assert admin("nothing-of-the-sort").returncode == 2
    assert admin("migrate", "--service", "billing").returncode == 2


def test_a_missing_setting_is_bad_usage_naming_the_variable() -> None:
    answer = admin("outbox", "status", "--service", "conference")
    assert answer.returncode == 2
    assert "CONFERENCE_DATABASE_URL: is required by this command but not set" in answer.stderr


def test_a_malformed_dead_letter_address_is_bad_usage() -> None:
    answer = admin("dlq", "show", "convene.membership.v1", "12", KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1")
    assert answer.returncode == 2
    assert "PARTITION:OFFSET" in answer.stderr


def test_it_runs_as_a_module_inside_a_container_too() -> None:
    answer = subprocess.run(
        [sys.executable, "-m", "convene_operator", "--help"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"},
        timeout=120,
    )
    assert answer.returncode == 0, answer.stderr
    assert "Usage: convene-admin" in answer.stdout


def test_inside_a_services_container_its_own_database_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CONVENE_SERVICE", "membership")  # what the image sets, beside the service's own DSN
    monkeypatch.setenv("DATABASE_URL", "postgresql://convene@db/membership")
    inside = OperatorSettings()
    assert inside.database_url("membership") == "postgresql://convene@db/membership"
    with pytest.raises(typer.Exit):
        inside.database_url("conference")

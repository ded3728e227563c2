"""What `restore` refuses before it touches a database: a folder that is not a backup, a manifest
of another format, a dump file that is not the one the manifest describes. Nothing runs: each
refusal comes from reading the folder, and the exit code says so (1, the reason on stderr)."""

import hashlib
import json
from pathlib import Path

from typer.testing import CliRunner

from convene_operator.cli import app

SERVICES = ("membership", "conference", "notifications")


def a_backup(folder: Path, **manifest: object) -> Path:
    databases = {}
    for service in SERVICES:
        (folder / f"{service}.dump").write_bytes(f"dump of {service}".encode())
        digest = hashlib.sha256(f"dump of {service}".encode()).hexdigest()
        databases[service] = {"file": f"{service}.dump", "sha256": digest, "migration_heads": {service: 1}}
    body = {"format": 1, "created_at": "2026-12-01T10:00:00+00:00", "databases": databases} | manifest
    (folder / "manifest.json").write_text(json.dumps(body))
    return folder


def restore(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["restore", "--input", str(folder)])
    return result.exit_code, " ".join(result.output.split())


def test_a_folder_without_a_manifest_is_refused(tmp_path: Path) -> None:
    code, output = restore(tmp_path)
    assert code == 1
    assert "manifest.json is missing or unreadable" in output


def test_a_manifest_of_an_unknown_format_is_refused(tmp_path: Path) -> None:
    code, output = restore(a_backup(tmp_path, format=2))
    assert code == 1
    assert "format 2 is not one this restore knows" in output


def test_a_dump_changed_since_the_backup_is_refused(tmp_path: Path) -> None:
    a_backup(tmp_path)
    (tmp_path / "conference.dump").write_bytes(b"something else")
    code, output = restore(tmp_path)
    assert code == 1
    assert "conference.dump is missing or not the file the manifest describes" in output


def test_every_command_has_help() -> None:
    for command in ("demo", "backup", "restore"):
        result = CliRunner().invoke(app, [command, "--help"])
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output

"""`convene-admin backup` and `restore`: the three services' databases with pg_dump (custom
format) and pg_restore, and a manifest that says what the backup holds (docs/operations.md)."""

import asyncio
import hashlib
import json
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from convene_operator.adapters import postgres_tools as pg
from convene_operator.settings import SERVICES, OperatorSettings

MANIFEST = "manifest.json"
FORMAT = 1  # the manifest's own version: a restore refuses one it does not know
err = Console(stderr=True)


class BackupSettings(OperatorSettings):
    pg_bin: str = ""  # PostgreSQL's bin folder; empty: PATH, then /usr/lib/postgresql/15/bin


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fail(message: str) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    return typer.Exit(1)


def backup(
    output: Annotated[Path, typer.Option("--output", help="An empty or new folder for the dump files and manifest.")],
) -> None:
    """Back up the membership, conference and notifications databases into OUTPUT."""
    settings = BackupSettings()
    if output.exists() and any(output.iterdir()):
        raise _fail(f"{output} is not empty: a backup goes into a new or empty folder")
    output.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat()}
    try:
        manifest |= {"convene_version": version("convene-operator"), "pg_dump_version": pg.version(settings.pg_bin)}
        databases = {}
        with Progress(console=err) as progress:
            task = progress.add_task("backing up", total=len(settings.databases()))
            for service, dsn in settings.databases().items():
                progress.update(task, description=f"dumping {service}")
                file = output / f"{service}.dump"
                facts = asyncio.run(pg.facts(dsn))
                pg.dump(settings.pg_bin, dsn, file)
                databases[service] = {"file": file.name, "sha256": _sha256(file), "bytes": file.stat().st_size, **facts}
                progress.advance(task)
    except pg.ToolFailed as error:
        raise _fail(str(error)) from error
    manifest["databases"] = databases
    (output / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    err.print(f"backed up {', '.join(databases)} into {output}", highlight=False)


def _read_manifest(folder: Path, services: list[str]) -> dict[str, Any]:
    """The manifest, checked against the files beside it, before anything is touched."""
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise _fail(f"{folder / MANIFEST} is missing or unreadable: {error}") from error
    if manifest.get("format") != FORMAT:
        raise _fail(f"{MANIFEST}: format {manifest.get('format')!r} is not one this restore knows ({FORMAT})")
    databases = manifest.get("databases") or {}
    for service in services:
        entry = databases.get(service)
        if not entry:
            raise _fail(f"{MANIFEST} holds no {service} database")
        file = folder / entry["file"]
        if not file.is_file() or _sha256(file) != entry["sha256"]:
            raise _fail(f"{file} is missing or not the file the manifest describes (sha256 differs)")
    return manifest


def restore(
    input_folder: Annotated[Path, typer.Option("--input", help="A folder written by `backup`.")],
    force: Annotated[bool, typer.Option("--force", help="Replace what the target databases hold.")] = False,
) -> None:
    """Restore the three databases from INPUT; refuses databases that hold tables unless --force."""
    manifest = _read_manifest(input_folder, list(SERVICES))  # the folder first: it needs no settings
    settings = BackupSettings()
    targets = settings.databases()
    try:
        filled = [service for service, dsn in targets.items() if asyncio.run(pg.table_count(dsn)) > 0]
        if filled and not force:
            raise _fail(
                f"not empty: {', '.join(filled)}; restore into empty databases, or pass --force to replace them"
            )
        with Progress(console=err) as progress:
            task = progress.add_task("restoring", total=len(targets))
            for service, dsn in targets.items():
                progress.update(task, description=f"restoring {service}")
                entry = manifest["databases"][service]
                pg.restore(settings.pg_bin, dsn, input_folder / entry["file"], clean=service in filled)
                if asyncio.run(pg.heads(dsn)) != entry["migration_heads"]:
                    raise _fail(f"{service}: the restored migrations differ from the manifest's")
                progress.advance(task)
    except pg.ToolFailed as error:
        raise _fail(str(error)) from error
    err.print(f"restored {', '.join(targets)} from the backup of {manifest['created_at']}", highlight=False)

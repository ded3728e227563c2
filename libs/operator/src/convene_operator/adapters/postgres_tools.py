"""PostgreSQL's own tools (pg_dump, pg_restore) and the few queries a backup's manifest needs.

The tools are taken from `PG_BIN` when it is set, else from PATH, else from Debian's PostgreSQL 15
folder (the local stack's): a backup made by an older pg_dump than the server refuses to run."""

import os
import shutil
import subprocess
from pathlib import Path

import asyncpg

DEBIAN_PG_BIN = "/usr/lib/postgresql/15/bin"


class ToolFailed(Exception):
    """A PostgreSQL tool or query failed; the message says which and why."""


def tool(name: str, pg_bin: str = "") -> str:
    folder = pg_bin or os.environ.get("PG_BIN", "")
    if folder:
        found = Path(folder) / name
        if not found.exists():
            raise ToolFailed(f"{name} not found in {folder} (PG_BIN)")
        return str(found)
    on_path = shutil.which(name) or shutil.which(name, path=DEBIAN_PG_BIN)
    if not on_path:
        raise ToolFailed(f"{name} not found on PATH nor in {DEBIAN_PG_BIN}: set PG_BIN to PostgreSQL's bin folder")
    return on_path


def run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 (our own arguments)
    if done.returncode != 0:
        raise ToolFailed(f"{Path(command[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def version(pg_bin: str, name: str = "pg_dump") -> str:
    return run([tool(name, pg_bin), "--version"]).strip()


def dump(pg_bin: str, dsn: str, file: Path) -> None:
    # Custom format: compressed, and pg_restore can restore it into a database of another name.
    run([tool("pg_dump", pg_bin), "--format=custom", "--no-owner", f"--file={file}", f"--dbname={dsn}"])


def restore(pg_bin: str, dsn: str, file: Path, clean: bool) -> None:
    options = ["--clean", "--if-exists"] if clean else []
    run([tool("pg_restore", pg_bin), "--no-owner", "--exit-on-error", *options, f"--dbname={dsn}", str(file)])


async def _connect(dsn: str) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(dsn, timeout=10)
    except (OSError, asyncpg.PostgresError) as error:
        raise ToolFailed(f"cannot connect to {_where(dsn)}: {error}") from error


def _where(dsn: str) -> str:
    return dsn.rsplit("@", 1)[-1]  # host, port and database, never the password


async def facts(dsn: str) -> dict[str, object]:
    """The server's version and the migrations applied, per source (the heads)."""
    conn = await _connect(dsn)
    try:
        server = await conn.fetchval("SHOW server_version")
        rows = await conn.fetch("SELECT source, max(version) AS head FROM schema_migrations GROUP BY source")
        return {"server_version": server, "migration_heads": {r["source"]: r["head"] for r in rows}}
    finally:
        await conn.close()


async def heads(dsn: str) -> dict[str, int]:
    found = await facts(dsn)
    result: dict[str, int] = found["migration_heads"]  # type: ignore[assignment]
    return result


async def table_count(dsn: str) -> int:
    """How many tables the database holds; creates the database first when it does not exist."""
    try:
        conn = await asyncpg.connect(dsn, timeout=10)
    except asyncpg.InvalidCatalogNameError:
        await _create(dsn)
        return 0
    except (OSError, asyncpg.PostgresError) as error:
        raise ToolFailed(f"cannot connect to {_where(dsn)}: {error}") from error
    try:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        )
        return count
    finally:
        await conn.close()


async def _create(dsn: str) -> None:
    base, name = dsn.rsplit("/", 1)
    name = name.split("?", 1)[0]
    conn = await _connect(f"{base}/postgres")
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()

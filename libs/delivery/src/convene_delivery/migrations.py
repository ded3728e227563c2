"""Numbered SQL migrations, applied at start and by each service's `migrate` command.

Files are named `NNNN_description.sql`. All pending files run in one transaction that first
takes an advisory lock, so two instances starting at once apply each file exactly once.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from convene_delivery.postgres import Connection

_MIGRATION_LOCK = 0x636F6E76  # any constant shared by every instance of every service
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
DELIVERY_MIGRATIONS = Path(__file__).parent / "migrations"


@dataclass(frozen=True)
class MigrationSource:
    """A folder of migrations and the name its versions are recorded under."""

    name: str
    directory: Path

    def files(self) -> list[tuple[int, Path]]:
        found: list[tuple[int, Path]] = []
        for path in sorted(self.directory.glob("*.sql")):
            match = _NAME.match(path.name)
            if match is None:
                raise ValueError(f"migration file {path} is not named NNNN_description.sql")
            version = int(match.group(1))
            if found and found[-1][0] == version:
                # Two branches each adding "the next" file: the runner keys on the number, so the
                # second would be skipped wherever the first was applied. Refuse at once instead.
                raise ValueError(f"migrations {found[-1][1].name} and {path.name} share the number {version:04d}")
            found.append((version, path))
        return found


async def migrate(conn: Connection, sources: list[MigrationSource]) -> list[str]:
    """Applies what is pending from each source in order; returns the files applied."""
    applied: list[str] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   source text NOT NULL, version int NOT NULL, file text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (source, version))"""
        )
        for source in sources:
            done = {
                row["version"]
                for row in await conn.fetch("SELECT version FROM schema_migrations WHERE source = $1", source.name)
            }
            for version, path in source.files():
                if version in done:
                    continue
                await conn.execute(path.read_text())
                await conn.execute(
                    "INSERT INTO schema_migrations (source, version, file) VALUES ($1, $2, $3)",
                    source.name,
                    version,
                    path.name,
                )
                applied.append(f"{source.name}/{path.name}")
    return applied


def sources_for(service: str, service_migrations: Path) -> list[MigrationSource]:
    """The delivery tables first, then the service's own."""
    return [MigrationSource("delivery", DELIVERY_MIGRATIONS), MigrationSource(service, service_migrations)]

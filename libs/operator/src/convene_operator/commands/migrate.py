"""`convene-admin migrate`: applies the pending migrations of each service's database, exactly as
`python -m <service> migrate` does (convene_delivery.migrations behind its advisory lock, with the
chassis' list of sources), without importing any service."""

import asyncio
from pathlib import Path
from typing import Annotated

import asyncpg
import typer
from rich.progress import Progress

from convene_delivery.migrations import migrate as apply_migrations
from convene_operator.adapters.services import migrations_of
from convene_operator.exits import FAILED
from convene_operator.settings import SERVICES, Service, fail_usage, load
from convene_service.migration_sources import service_migration_sources


def migrate(
    service: Annotated[
        Service | None, typer.Option(help="Only this service's database; without it, all three.")
    ] = None,
) -> None:
    """Apply the pending migrations of the three services' databases (or one). Safe beside running
    instances: the migrations take an advisory lock. Exit 1 if a database refused them."""
    settings = load()
    chosen: tuple[Service, ...] = (service,) if service else SERVICES
    targets = []
    for name in chosen:
        folder = migrations_of(name)
        if folder is None:
            fail_usage(f"{name}: its package is not installed here; run this in {name}'s container")
        targets.append((name, settings.database_url(name), folder))
    with Progress(transient=True) as progress:
        task = progress.add_task("migrating", total=len(targets))
        for name, dsn, folder in targets:
            progress.update(task, description=f"migrating {name}")
            try:
                applied = asyncio.run(_apply(dsn, name, folder))
            except (OSError, asyncpg.PostgresError) as error:
                typer.echo(f"{name}: migrations failed: {type(error).__name__}: {error}", err=True)
                raise typer.Exit(FAILED) from None
            for file in applied:
                progress.console.print(f"{name}: applied {file}")
            if not applied:
                progress.console.print(f"{name}: up to date")
            progress.advance(task)


async def _apply(dsn: str, service: str, folder: Path) -> list[str]:
    conn = await asyncpg.connect(dsn)
    try:
        return await apply_migrations(conn, service_migration_sources(service, folder))
    finally:
        await conn.close()

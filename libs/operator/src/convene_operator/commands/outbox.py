"""`convene-admin outbox status`: per service, what its relay has not published yet and who relays."""

import asyncio
from typing import Annotated

import asyncpg
import typer

from convene_operator.adapters.outbox import OutboxState, outbox_state
from convene_operator.exits import FAILED
from convene_operator.settings import SERVICES, Service, load

app = typer.Typer(help="The transactional outboxes of the three services.", no_args_is_help=True)


@app.command("status")
def status(
    service: Annotated[Service | None, typer.Option(help="Only this service; without it, all three.")] = None,
) -> None:
    """One tab-separated line per service: service, unpublished rows, age in seconds of the oldest
    (- when none), and the relay leader holding the advisory lock (- when no relay runs). Exit 1 if
    a database cannot be reached."""
    settings = load()
    chosen: tuple[Service, ...] = (service,) if service else SERVICES
    dsns = {name: settings.database_url(name) for name in chosen}
    failed = False
    typer.echo("service\tunpublished\toldest_age_seconds\trelay_leader")
    for name, dsn in dsns.items():
        try:
            state = asyncio.run(outbox_state(dsn))
        except (OSError, asyncpg.PostgresError) as error:
            typer.echo(f"{name}: {type(error).__name__}: {error}", err=True)
            failed = True
            continue
        typer.echo(_line(name, state))
    if failed:
        raise typer.Exit(FAILED)


def _line(service: str, state: OutboxState) -> str:
    age = "-" if state.oldest_age_seconds is None else f"{state.oldest_age_seconds:.1f}"
    return f"{service}\t{state.unpublished}\t{age}\t{state.leader or '-'}"

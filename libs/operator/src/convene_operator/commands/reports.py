"""`convene-admin reports members|revenue`: the association's figures, as a table or CSV."""

import asyncio
import csv
import io
from collections.abc import Coroutine
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import asyncpg
import typer
from rich.console import Console
from rich.table import Table

from convene_operator.adapters.reports import dues_by_month, members_by_level_and_status, tickets_by_month
from convene_operator.exits import FAILED
from convene_operator.settings import load

T = TypeVar("T")

app = typer.Typer(help="Reports: members by status and level, dues and ticket revenue by month.", no_args_is_help=True)


class Format(StrEnum):
    table = "table"
    csv = "csv"


FormatOption = Annotated[Format, typer.Option("--format", help="table for reading, csv for a spreadsheet.")]
OutputOption = Annotated[Path | None, typer.Option("--output", help="Write to this file instead of stdout.")]


@app.command("members")
def members(format: FormatOption = Format.table, output: OutputOption = None) -> None:
    """Members by level and status (columns level, status, members), erased members left out."""
    rows = _read(members_by_level_and_status(load().database_url("membership")))
    _write(["level", "status", "members"], [[r.level, r.status, str(r.members)] for r in rows], format, output)


@app.command("revenue")
def revenue(format: FormatOption = Format.table, output: OutputOption = None) -> None:
    """Dues and ticket revenue by month (UTC): columns month (YYYY-MM), source (dues or tickets),
    currency, paid_minor, refunded_minor, net_minor, in the currency's minor units (cents)."""
    settings = load()
    dues_dsn, tickets_dsn = settings.database_url("membership"), settings.database_url("conference")
    rows = sorted(
        [*_read(dues_by_month(dues_dsn)), *_read(tickets_by_month(tickets_dsn))],
        key=lambda r: (r.month, r.source, r.currency),
    )
    header = ["month", "source", "currency", "paid_minor", "refunded_minor", "net_minor"]
    cells = [
        [r.month.strftime("%Y-%m"), r.source, r.currency, str(r.paid_minor), str(r.refunded_minor), str(r.net_minor)]
        for r in rows
    ]
    _write(header, cells, format, output)


def _read(work: Coroutine[Any, Any, list[T]]) -> list[T]:
    try:
        return asyncio.run(work)
    except (OSError, asyncpg.PostgresError) as error:
        typer.echo(f"database: {type(error).__name__}: {error}", err=True)
        raise typer.Exit(FAILED) from None


def _write(header: list[str], rows: list[list[str]], format: Format, output: Path | None) -> None:
    if format is Format.csv:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        content = text.getvalue()
    else:
        table = Table(*header)
        for row in rows:
            table.add_row(*row)
        console = Console(file=io.StringIO(), width=120)
        console.print(table)
        content = console.file.getvalue()  # type: ignore[attr-defined]
    if output is None:
        typer.echo(content, nl=False)
    else:
        output.write_text(content)
        typer.echo(f"wrote {len(rows)} row(s) to {output}", err=True)

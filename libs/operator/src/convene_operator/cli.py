"""`convene-admin`: the root of the operator command line. Each command group lives in a module of
its own in `commands/` and is added here in one line."""

import typer

from convene_operator.commands import backup, demo, dlq, migrate, outbox, person, reports

app = typer.Typer(
    name="convene-admin",
    help="Run Convene: migrations, dead letters, the outbox, reports, people's data, demo data, backups. "
    "Exit codes: 0 done, 1 failed, 2 bad usage or a setting missing, 3 nothing found.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,  # a failure prints one line for the operator, not a framed traceback
)
app.command("migrate")(migrate.migrate)
app.add_typer(dlq.app, name="dlq")
app.add_typer(outbox.app, name="outbox")
app.add_typer(reports.app, name="reports")
app.add_typer(person.app, name="person")
app.command("demo")(demo.demo)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)


def main() -> None:
    app(prog_name="convene-admin")

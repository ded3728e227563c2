"""The root of `convene-admin`: each command group lives in a module of `commands/`."""

import typer

from convene_operator.commands import backup, demo

app = typer.Typer(help="Run a Convene installation: demo data, backups and restores.", no_args_is_help=True)
app.command("demo")(demo.demo)
app.command("backup")(backup.backup)
app.command("restore")(backup.restore)


def main() -> None:
    app()


if __name__ == "__main__":
    main()

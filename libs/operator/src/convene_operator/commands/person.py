"""`convene-admin person export|erase <email>`: one person's data in every service, through
membership's API with an owner's API token, so the export and erasure events reach conference and
notifications exactly as when the member asks from their own page."""

import asyncio
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar
from uuid import UUID

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

from convene_operator.adapters.membership_api import ApiError, MembershipApi
from convene_operator.exits import FAILED, NOTHING_FOUND
from convene_operator.settings import OperatorSettings, load

T = TypeVar("T")

app = typer.Typer(help="One person's data in every service: export it or erase it.", no_args_is_help=True)

EmailArgument = Annotated[str, typer.Argument(help="The member's email address.")]


def _api(settings: OperatorSettings) -> MembershipApi:
    return MembershipApi(
        settings.api_url("membership"), settings.require("operator_api_token"), settings.http_timeout_seconds
    )


async def _member(api: MembershipApi, email: str) -> UUID:
    member_id = await api.member_with_email(email)
    if member_id is None:
        typer.echo(f"no member has the address {email}", err=True)
        raise typer.Exit(NOTHING_FOUND)
    return member_id


@app.command("export")
def export(
    email: EmailArgument,
    output: Annotated[Path, typer.Option("--output", help="Where to write the JSON file.")] = Path(
        "my-convene-data.json"
    ),
    wait: Annotated[float, typer.Option(help="Seconds to wait for every service's part.", min=1)] = 120,
) -> None:
    """Write the member's data from every service, the file their own page offers
    (my-convene-data.json). Exit 3 if no member has the address, 1 if a service's part did not
    arrive within --wait seconds."""
    settings = load()

    async def run() -> bytes:
        async with _api(settings) as api:
            url = await api.request_export(await _member(api, email))
            deadline = time.monotonic() + wait
            with Progress(SpinnerColumn(), TextColumn("{task.description}"), transient=True) as progress:
                task = progress.add_task("gathering the export")
                while True:
                    data, waiting = await api.gathered(url)
                    if data is not None:
                        return data
                    if time.monotonic() > deadline:
                        raise ApiError(f"still waiting for {', '.join(waiting)} after {wait:g}s; ask again later")
                    progress.update(task, description=f"waiting for {', '.join(waiting)}")
                    await asyncio.sleep(0.5)

    data = _run(run())
    output.write_bytes(data)
    typer.echo(f"wrote {output}")


@app.command("erase")
def erase(
    email: EmailArgument,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask: this cannot be undone.")] = False,
) -> None:
    """Erase the member's personal data in every service (irreversible; docs/privacy.md says what
    stays for the books). Asks first unless --yes. Exit 3 if no member has the address."""
    settings = load()
    if not yes:
        typer.confirm(f"Erase {email}'s personal data in every service? This cannot be undone", abort=True)

    async def run() -> UUID:
        async with _api(settings) as api:
            member_id = await _member(api, email)
            await api.erase(member_id)
            return member_id

    member_id = _run(run())
    typer.echo(f"erased member {member_id}; conference and notifications erase theirs from the event")


def _run(work: Coroutine[Any, Any, T]) -> T:
    try:
        return asyncio.run(work)
    except ApiError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(FAILED) from None

"""`convene-admin dlq list|show|replay`: the messages consumers parked on `<topic>.dlq`.

A message is addressed by its dead-letter topic and `PARTITION:OFFSET` there (as `list` prints
it). Replay puts the original message back on its original topic with its key and event id; the
consumers' inboxes keep it exactly-once, so replaying twice changes nothing. `replay --all`
records how far it got in a consumer group of its own, so a second `--all` replays only what was
parked since."""

import asyncio
import json
from collections.abc import Coroutine
from typing import Annotated, Any, TypeVar

import typer
from aiokafka.errors import KafkaError
from rich.progress import Progress

from convene_operator.adapters.dead_letters import (
    DEAD_LETTER_TOPICS,
    REPLAY_GROUP,
    DeadLetters,
    Parked,
    as_dead_letter_topic,
    put_back,
)
from convene_operator.exits import FAILED, NOTHING_FOUND
from convene_operator.settings import fail_usage, load

T = TypeVar("T")

app = typer.Typer(help="Dead letters: list, show and replay the messages consumers parked.", no_args_is_help=True)

TopicOption = Annotated[
    str | None, typer.Option("--topic", help="One topic (with or without .dlq); without it, every topic.")
]
TopicArgument = Annotated[str, typer.Argument(help="The topic, e.g. convene.membership.v1 (or its .dlq).")]
AddressArgument = Annotated[str | None, typer.Argument(help="PARTITION:OFFSET on the dead-letter topic, as listed.")]


def _bootstrap() -> str:
    return load().require("kafka_bootstrap_servers")


def _topics(topic: str | None) -> tuple[str, ...]:
    return (as_dead_letter_topic(topic),) if topic else DEAD_LETTER_TOPICS


def _address(text: str) -> tuple[int, int]:
    partition, sep, offset = text.partition(":")
    if not sep or not partition.isdigit() or not offset.isdigit():
        fail_usage(f"OFFSET: {text!r} is not PARTITION:OFFSET, e.g. 0:12")
    return int(partition), int(offset)


def _line(parked: Parked) -> str:
    event = parked.event
    return "\t".join(
        [
            parked.topic,
            parked.address,
            str(event.event_id) if event else "-",
            event.event_type if event else "(unreadable)",
            parked.headers.get("x-consumer-group", "-"),
            parked.headers.get("x-attempts", "-"),
            parked.headers.get("x-error", "-").replace("\n", " ")[:200],
        ]
    )


@app.command("list")
def list_parked(topic: TopicOption = None) -> None:
    """List parked messages, one per line, tab-separated: dead-letter topic, PARTITION:OFFSET,
    event id, event type, consumer group, attempts, error. Exit 0 even when there are none."""

    async def run() -> list[Parked]:
        async with DeadLetters(_bootstrap()) as kafka:
            return await kafka.all_of(_topics(topic))

    for parked in _kafka(run()):
        typer.echo(_line(parked))


@app.command("show")
def show(topic: TopicArgument, offset: Annotated[str, typer.Argument(help="PARTITION:OFFSET, as listed.")]) -> None:
    """Print one parked message as JSON: its headers, key and original body. Exit 3 if there is none."""
    partition, at = _address(offset)
    parked = _one(topic, partition, at)
    body: object
    try:
        body = json.loads(parked.value)
    except ValueError:
        body = parked.value.decode(errors="replace")
    document = {
        "topic": parked.topic,
        "partition": parked.partition,
        "offset": parked.offset,
        "key": parked.key.decode(errors="replace") if parked.key else None,
        "headers": parked.headers,
        "body": body,
    }
    typer.echo(json.dumps(document, indent=2))


@app.command("replay")
def replay(
    topic: TopicArgument,
    offset: AddressArgument = None,
    every: Annotated[
        bool, typer.Option("--all", help="Every message parked on the topic and not replayed by --all before.")
    ] = False,
    group: Annotated[
        str | None, typer.Option("--consumer-group", help="Only what this consumer group parked (for --all).")
    ] = None,
) -> None:
    """Put a parked message (or, with --all, each one not replayed before) back on its original
    topic with its original key and event id. Exit 3 if the message does not exist, 1 if it cannot
    be replayed (no origin topic, or a body that is no event)."""
    if (offset is None) == (not every):
        fail_usage("give either PARTITION:OFFSET or --all")
    if offset is not None:
        partition, at = _address(offset)
        parked = _one(topic, partition, at)
        problem = unreplayable(parked)
        if problem:
            typer.echo(f"{parked.topic} {parked.address}: {problem}", err=True)
            raise typer.Exit(FAILED)
        _kafka(put_back(_bootstrap(), [parked]))
        typer.echo(f"replayed {parked.topic} {parked.address} onto {parked.origin_topic}")
        return
    _replay_all(as_dead_letter_topic(topic), group)


def _replay_all(topic: str, group: str | None) -> None:
    bootstrap = _bootstrap()
    # Each filter keeps its own record: `--all --consumer-group X` leaves the others' messages
    # for their own replay (an unfiltered --all later sends X's again; the inboxes skip them).
    record = REPLAY_GROUP if group is None else f"{REPLAY_GROUP}.{group}"

    async def run() -> int:
        async with DeadLetters(bootstrap, record) as kafka:
            found = await kafka.not_replayed([topic])
            to_send = worth_sending([p for p in found if group is None or p.headers.get("x-consumer-group") == group])
            with Progress(transient=True) as progress:
                task = progress.add_task(f"replaying {topic}", total=len(to_send))
                await put_back(bootstrap, to_send, lambda: progress.advance(task))
            await kafka.record_replayed(found)
            return len(to_send)

    typer.echo(f"replayed {_kafka(run())} message(s) from {topic}")


def worth_sending(chosen: list[Parked]) -> list[Parked]:
    seen: set[str] = set()
    to_send: list[Parked] = []
    for parked in chosen:
        problem = unreplayable(parked)
        event = parked.event
        if problem or event is None:
            typer.echo(f"skipped {parked.topic} {parked.address}: {problem}", err=True)
        elif str(event.event_id) not in seen:  # parked by several groups: one copy reaches them all
            seen.add(str(event.event_id))
            to_send.append(parked)
    return to_send


def unreplayable(parked: Parked) -> str | None:
    if parked.origin_topic is None:
        return "a service parked it itself (no x-origin-topic): there is no original message to put back"
    if parked.event is None:
        return "its body is no Convene event: replayed, it would only be parked again"
    return None


def _one(topic: str, partition: int, offset: int) -> Parked:
    async def run() -> Parked | None:
        async with DeadLetters(_bootstrap()) as kafka:
            return await kafka.one(as_dead_letter_topic(topic), partition, offset)

    parked = _kafka(run())
    if parked is None:
        typer.echo(f"no parked message at {as_dead_letter_topic(topic)} {partition}:{offset}", err=True)
        raise typer.Exit(NOTHING_FOUND)
    return parked


def _kafka(work: Coroutine[Any, Any, T]) -> T:
    """Runs one piece of Kafka work; Kafka unreachable or refusing is exit 1 with one line."""
    try:
        return asyncio.run(work)
    except KafkaError as error:
        typer.echo(f"Kafka: {type(error).__name__}: {error}", err=True)
        raise typer.Exit(FAILED) from None

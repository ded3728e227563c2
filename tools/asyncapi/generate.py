"""Writes Convene's AsyncAPI document, contracts/src/convene_contracts/asyncapi/asyncapi.yaml.

    .venv/bin/python tools/asyncapi/generate.py           # rewrites the committed document
    .venv/bin/python tools/asyncapi/generate.py --check   # exit 1 if it is out of date

The contracts give the channels, messages and schemas; who receives what is read here from the
services themselves: each one's subscriptions are registered on a broker that only records them.
Who sends what follows the contracts' rule (an event type's producer publishes it on its topic).
"""

import argparse
import sys
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any, cast

import yaml

from conference.bootstrap import SPEC as CONFERENCE_SPEC
from conference.entrypoints.subscribers import subscribe as conference_subscribe
from convene_contracts import EVENT_TYPES, NOTIFICATIONS, dead_letter_topic
from convene_contracts.asyncapi import DOCUMENT
from convene_contracts.asyncapi.document import Operation, document, published_on
from convene_contracts.samples import PRODUCERS
from convene_delivery.consumer import RetryPolicy, Subscription
from convene_delivery.tracing import TRACE_HEADERS
from convene_service.audit import collect_audit
from convene_service.spec import Runtime
from membership.bootstrap import SPEC as MEMBERSHIP_SPEC
from membership.entrypoints.subscribers import subscribe as membership_subscribe
from notifications.bootstrap import SPEC as NOTIFICATIONS_SPEC
from notifications.entrypoints.subscribers import subscribe as notifications_subscribe

REGENERATE = ".venv/bin/python tools/asyncapi/generate.py"


class RecordingBroker:
    """Stands in for the KafkaBroker: keeps each Subscription registered on it, connects nowhere."""

    def __init__(self) -> None:
        self.subscriptions: list[Subscription] = []

    def subscriber(self, topic: str, **options: object) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(handler: Callable[..., Any]) -> Callable[..., Any]:
            subscription = getattr(handler, "__self__", None)
            assert isinstance(subscription, Subscription), f"{topic}: not registered by a Subscription"
            self.subscriptions.append(subscription)
            return handler

        return register


def subscriptions_of(register: Callable[[Runtime, RecordingBroker], None]) -> list[Subscription]:
    broker = RecordingBroker()
    # Handlers are only bound here, never called: nothing needs a pool, settings or Deps.
    runtime = Runtime(cast(Any, None), cast(Any, None), cast(Any, broker), RetryPolicy(), cast(Any, None))
    register(runtime, broker)
    return broker.subscriptions


def _membership(runtime: Runtime, broker: RecordingBroker) -> None:
    membership_subscribe(runtime)
    collect_audit(cast(Any, broker), runtime.pool, runtime.retry)  # the others' audit entries


# What each service's bootstrap `start` subscribes.
SUBSCRIBERS: dict[str, Callable[[Runtime, RecordingBroker], None]] = {
    "membership": _membership,
    "conference": lambda runtime, _: conference_subscribe(runtime),
    "notifications": lambda runtime, _: notifications_subscribe(runtime, cast(Any, None)),
}


def operations() -> list[Operation]:
    sends: dict[tuple[str, str], list[str]] = {}
    for event_type in EVENT_TYPES:
        sends.setdefault((PRODUCERS[event_type.partition(".")[0]], published_on(event_type)), []).append(event_type)
    found = [Operation(service, "send", topic, tuple(types)) for (service, topic), types in sends.items()]
    for service, register in SUBSCRIBERS.items():
        for s in subscriptions_of(register):
            found.append(Operation(service, "receive", s.topic, tuple(sorted(s.event_types)), s.group_id))
            found.append(Operation(service, "send", dead_letter_topic(s.topic), group=s.group_id))
    # Notifications parks an email it gave up on as its own dead letter (docs/notifications.md).
    found.append(Operation("notifications", "send", dead_letter_topic(NOTIFICATIONS), ("notification.failed",)))
    _check_topics(found)
    return found


def _check_topics(found: list[Operation]) -> None:
    """Each topic a service uses is one its spec creates at start (with its dead-letter topic)."""
    specs = {spec.name: spec.topics for spec in (MEMBERSHIP_SPEC, CONFERENCE_SPEC, NOTIFICATIONS_SPEC)}
    for op in found:
        assert op.topic.removesuffix(".dlq") in specs[op.service], f"{op.service} uses {op.topic}, not in its spec"


class _Dumper(yaml.SafeDumper):
    """Writes text of several lines as a block, so the document reads well in a review."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def render() -> str:
    wanted = document(operations(), version("convene-contracts"), TRACE_HEADERS)
    body = yaml.dump(wanted, Dumper=_Dumper, sort_keys=False, width=120, allow_unicode=True)
    return f"# Generated by {REGENERATE} from the contracts: do not edit by hand.\n{body}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if the document is out of date")
    parser.add_argument("--path", type=Path, default=DOCUMENT, help="the document (default: the committed one)")
    args = parser.parse_args(argv)
    wanted = render()
    if args.check:
        if not args.path.exists() or args.path.read_text() != wanted:
            print(f"{args.path} is out of date with the contracts: run {REGENERATE}", file=sys.stderr)
            return 1
        return 0
    args.path.write_text(wanted)
    print(args.path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

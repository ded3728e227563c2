"""Convene's AsyncAPI document as notifications serves it: the committed file from the contracts
package, and the listing of its channels that the page at /mail/asyncapi shows."""

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from convene_contracts.asyncapi import DOCUMENT


@dataclass(frozen=True)
class Message:
    name: str
    summary: str


@dataclass(frozen=True)
class Channel:
    address: str
    summary: str
    messages: list[Message]
    sent_by: list[str]
    read_by: list[str]


@cache
def document_text() -> bytes:
    """The document, byte for byte as committed: read once, it changes only with a new release."""
    return DOCUMENT.read_bytes()


@cache
def channels() -> list[Channel]:
    document: dict[str, Any] = yaml.safe_load(document_text())
    messages = document["components"]["messages"]
    who: dict[tuple[str, str], set[str]] = {}
    for op in document["operations"].values():
        who.setdefault((op["channel"]["$ref"].rpartition("/")[2], op["action"]), set()).add(op["x-service"])
    return [
        Channel(
            address=channel["address"],
            summary=channel["summary"],
            messages=[Message(messages[key]["name"], messages[key]["summary"]) for key in channel["messages"]],
            sent_by=sorted(who.get((channel_id, "send"), ())),
            read_by=sorted(who.get((channel_id, "receive"), ())),
        )
        for channel_id, channel in document["channels"].items()
    ]

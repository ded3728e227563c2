"""Who an event names: every address in its payload (a payer's, each attendee's), as digests.

An email rendered from the event may name them all, so erasing any of them must reach it.
"""

from typing import Any

from convene_contracts import Event
from convene_contracts.privacy import email_digest

ADDRESS_FIELDS = ("email", "payer_email")


def mentioned_in(event: Event) -> tuple[str, ...]:
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key in ADDRESS_FIELDS and isinstance(inner, str):
                    found.add(email_digest(inner))
                else:
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(event.payload.model_dump())
    return tuple(sorted(found))

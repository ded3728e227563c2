"""How long to wait before trying again: one formula for every retry in Convene (a consumer's
failed handler, an email the SMTP server turned away)."""

import random


def backoff_delay(attempt: int, base_seconds: float, max_seconds: float | None = None) -> float:
    """Exponential backoff with jitter: attempt 1 waits between base/2 and base, each further
    attempt doubles that, up to `max_seconds`. The jitter keeps a crowd of failures from retrying
    in step."""
    ceiling = base_seconds * 2 ** (attempt - 1)
    if max_seconds is not None:
        ceiling = min(max_seconds, ceiling)
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not secrecy

"""The chaos load's HTTP client: it behaves as a real client would during an outage (a 503, a
refused connection or a dropped one is tried again, honouring Retry-After up to a cap) and
writes down every answer it got, with when, so that the test can tell answers inside a fault
window from answers outside one."""

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

# Retry-After says 5 s; a client that waits the full 5 s on every 503 would spend most of the
# short load phase waiting, so the load waits at most this long (it still waits).
MOST_RETRY_WAIT = 1.0
# One request is tried again for at most this long, then given up and counted.
GIVE_UP_AFTER = 90.0


@dataclass(frozen=True)
class Answer:
    """One attempt: its HTTP status, or None when no answer came (refused, dropped, timed out)."""

    what: str
    started: float
    ended: float
    status: int | None
    retry_after: bool = False
    error: str = ""


@dataclass
class Client:
    urls: dict[str, str]
    answers: list[Answer] = field(default_factory=list)
    given_up: list[str] = field(default_factory=list)
    _http: httpx.AsyncClient = field(default_factory=lambda: httpx.AsyncClient(timeout=30))

    async def close(self) -> None:
        await self._http.aclose()

    async def call(self, service: str, what: str, method: str, path: str, **kwargs: Any) -> httpx.Response | None:
        """The request's final answer (anything but a 503), or None if it was given up.

        `kwargs` may be a callable under "make", returning fresh keyword arguments for each
        attempt (a webhook is signed anew on each delivery attempt, as Stripe does).
        """
        make = kwargs.pop("make", None)
        deadline = time.monotonic() + GIVE_UP_AFTER
        while True:
            started = time.monotonic()
            arguments = make() if make else kwargs
            try:
                response = await self._http.request(method, f"{self.urls[service]}{path}", **arguments)
            except httpx.TransportError as error:
                self.answers.append(Answer(what, started, time.monotonic(), None, error=type(error).__name__))
                wait = 0.2
            else:
                retry_after = response.headers.get("Retry-After")
                self.answers.append(Answer(what, started, time.monotonic(), response.status_code, bool(retry_after)))
                if response.status_code != 503:
                    return response
                wait = min(float(retry_after or 1), MOST_RETRY_WAIT)
            if time.monotonic() + wait > deadline:
                self.given_up.append(f"{method} {path}")
                return None
            await asyncio.sleep(wait)

    def totals(self) -> dict[str, int]:
        statuses = Counter(str(a.status) if a.status is not None else a.error for a in self.answers)
        return {"attempts": len(self.answers), **dict(sorted(statuses.items())), "given up": len(self.given_up)}

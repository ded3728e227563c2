"""Each request's correlation id and its one access-log line.

The id comes from the `X-Correlation-ID` header when the caller sends one (an operator following
a flow, a proxy that numbers requests) or is made here; it is echoed in the answer's header and
kept in convene_delivery.correlation for the logs and the events the request causes. Envelopes
carry it as a UUID (convene_contracts), so the header must be one: anything else is refused with a
400 naming the header rather than silently replaced, so that the caller never looks for an id that
was thrown away. The access line says method, route (the template, not the path: paths carry ids),
status, duration and client; never the query string, which may carry an address.
"""

import json
import logging
import re
import time
from uuid import UUID, uuid4

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from convene_delivery.correlation import correlated

HEADER = "x-correlation-id"
# A UUID's characters only, bounded: whatever a caller sends ends up in logs and envelopes.
_SAFE = re.compile(r"^[0-9A-Fa-f-]{32,36}$")
access_log = logging.getLogger("convene.access")


def parse_correlation(value: str) -> UUID | None:
    """The header's UUID, or None when it is not one."""
    if not _SAFE.fullmatch(value):
        return None
    try:
        return UUID(value)
    except ValueError:
        return None


class RequestLog:
    """Pure ASGI middleware: it wraps the whole app, so the line is written whatever answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        sent = _header(scope)
        correlation_id = uuid4() if sent is None else parse_correlation(sent)
        if correlation_id is None:
            return await _refuse(send)
        started = time.perf_counter()
        status = 500  # what the client sees when the app fails before answering
        echoed = (HEADER.encode(), str(correlation_id).encode())

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), echoed]
            await send(message)

        with correlated(correlation_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                _log_access(scope, status, time.perf_counter() - started)
        return None


def _header(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == HEADER.encode():
            return str(value.decode("latin-1"))
    return None


async def _refuse(send: Send) -> None:
    body = json.dumps({"detail": "X-Correlation-ID must be a UUID, such as 5f0c9a1e-8d3b-4c2a-9e7f-1b2c3d4e5f60"})
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})


def _log_access(scope: Scope, status: int, seconds: float) -> None:
    route = getattr(scope.get("route"), "path", None) or "(no route)"
    client = scope.get("client")
    access_log.info(
        "%s %s %d",
        scope["method"],
        route,
        status,
        extra={
            "method": scope["method"],
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "client": client[0] if client else None,
        },
    )

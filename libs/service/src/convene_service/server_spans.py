"""One server span per HTTP request, named by its route template (docs/operations.md, "Traces").

Written with the OpenTelemetry API rather than its FastAPI instrumentation, for what that
instrumentation costs on the hot paths: to name its span it matches each request against every
route of the app before FastAPI routes it again (the conference API has about a hundred), and its
ASGI layer gathers a dozen attributes from the headers. Measured on B1's hold (docs/benchmarks.md,
"Cost of tracing"): the instrumentation added about a quarter to the conference's CPU time per
answer. Here the span starts with the method for a name and is renamed once FastAPI has routed
the request, which it records in the scope; the attributes are the stable HTTP conventions' few.
"""

from collections.abc import Iterable

from opentelemetry import propagate
from opentelemetry.trace import SpanKind, StatusCode, Tracer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Only what a W3C propagator reads: the other headers are never decoded.
_CONTEXT_HEADERS = frozenset({b"traceparent", b"tracestate", b"baggage"})


class ServerSpans:
    """ASGI middleware: a server span for every HTTP request but the `untraced` paths (probes,
    scrapes), continuing the caller's trace from its `traceparent` header."""

    def __init__(self, app: ASGIApp, tracer: Tracer, untraced: Iterable[str] = ()) -> None:
        self._app, self._tracer, self._untraced = app, tracer, frozenset(untraced)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self._untraced:
            await self._app(scope, receive, send)
            return
        carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"] if k in _CONTEXT_HEADERS}
        method = scope["method"]
        with self._tracer.start_as_current_span(
            method,
            context=propagate.extract(carrier) if carrier else None,
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method, "url.path": scope["path"], "url.scheme": scope["scheme"]},
        ) as span:

            async def sending(message: Message) -> None:
                if message["type"] == "http.response.start":
                    status = int(message["status"])
                    span.set_attribute("http.response.status_code", status)
                    if status >= 500:
                        span.set_status(StatusCode.ERROR)
                await send(message)

            try:
                await self._app(scope, receive, sending)
            finally:
                # Set by FastAPI when a route matched; a 404 keeps the bare method as its name.
                template = getattr(scope.get("route"), "path", None)
                if template:
                    span.update_name(f"{method} {template}")
                    span.set_attribute("http.route", template)

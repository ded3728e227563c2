"""What the HTTP server span costs one request, without the stack: CPU time per call of a POST
through a FastAPI app of `--routes` routes, with no tracing and with convene_service.server_spans
(the SDK's batch processor in front of an exporter that drops the spans, so only Convene's side
and the SDK's are counted). docs/benchmarks.md, "Cost of tracing".

.venv/bin/python -m bench.server_span --routes 100 --calls 3000
"""

import argparse
import asyncio
import statistics
import time
from collections.abc import Sequence

from fastapi import FastAPI
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from starlette.types import ASGIApp, Message

from convene_service.server_spans import ServerSpans

HOLD = "/conferences/c-1/registrations"


class Dropped(SpanExporter):
    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return SpanExportResult.SUCCESS


def app_of(routes: int, traced: bool) -> ASGIApp:
    app = FastAPI()
    for n in range(routes - 1):  # the hold's route last: every request walks them all, as routing does
        app.add_api_route(f"/page-{n}/{{item}}/view", lambda item: {"item": item}, methods=["GET"])

    @app.post("/conferences/{conference_id}/registrations")
    async def hold(conference_id: str) -> dict[str, str]:
        return {"conference_id": conference_id}

    if traced:
        provider = TracerProvider()
        provider.add_span_processor(BatchSpanProcessor(Dropped()))
        app.add_middleware(ServerSpans, tracer=provider.get_tracer("bench"))
    return app


async def cpu_us_per_call(app: ASGIApp, calls: int) -> float:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": HOLD,
        "raw_path": HOLD.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8002"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8002),
    }

    async def receive() -> Message:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: Message) -> None:
        return None

    for _ in range(200):  # warm up: FastAPI builds its middleware stack on the first call
        await app(dict(scope), receive, send)
    started = time.process_time()
    for _ in range(calls):
        await app(dict(scope), receive, send)
    return (time.process_time() - started) / calls * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.server_span")
    parser.add_argument("--routes", type=int, default=100)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    figures: dict[str, list[float]] = {"off": [], "server span": []}
    for _ in range(args.runs):  # alternating, so a change in the machine's load hits both alike
        figures["off"].append(asyncio.run(cpu_us_per_call(app_of(args.routes, False), args.calls)))
        figures["server span"].append(asyncio.run(cpu_us_per_call(app_of(args.routes, True), args.calls)))
    for name, values in figures.items():
        each = ", ".join(f"{v:.0f}" for v in values)
        print(f"{name:12} median {statistics.median(values):7.1f} us CPU per call  ({each})")


if __name__ == "__main__":
    main()

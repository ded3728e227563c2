"""The HTTP server span of each request (convene_service.server_spans), recorded by the real SDK
into its in-memory exporter."""

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from convene_service.server_spans import ServerSpans

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    yield exporter
    exporter.shutdown()


def app_with_spans(exporter: InMemorySpanExporter) -> FastAPI:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = FastAPI()

    @app.post("/conferences/{conference_id}/registrations")
    async def register(conference_id: str) -> dict[str, str]:
        return {"conference_id": conference_id}

    @app.get("/broken")
    async def broken() -> None:
        raise HTTPException(503, "down")

    @app.get("/healthz")
    async def healthz() -> str:
        return "ok"

    app.add_middleware(ServerSpans, tracer=provider.get_tracer("test"), untraced=("/healthz",))
    return app


async def call(app: FastAPI, method: str, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
        return await client.request(method, path, headers=headers)


def only(exporter: InMemorySpanExporter) -> ReadableSpan:
    spans = exporter.get_finished_spans()
    assert len(spans) == 1, [s.name for s in spans]
    return spans[0]


async def test_a_request_is_one_server_span_named_by_its_route_template(exporter: InMemorySpanExporter) -> None:
    assert (await call(app_with_spans(exporter), "POST", "/conferences/c-1/registrations")).status_code == 200
    span = only(exporter)
    assert span.name == "POST /conferences/{conference_id}/registrations"
    assert span.kind is SpanKind.SERVER
    assert span.attributes is not None
    assert span.attributes["http.route"] == "/conferences/{conference_id}/registrations"
    assert span.attributes["url.path"] == "/conferences/c-1/registrations"
    assert span.attributes["http.response.status_code"] == 200


async def test_the_span_continues_the_callers_trace(exporter: InMemorySpanExporter) -> None:
    parent = f"00-{CALLER_TRACE}-00f067aa0ba902b7-01"
    await call(app_with_spans(exporter), "POST", "/conferences/c-1/registrations", {"traceparent": parent})
    span = only(exporter)
    assert format(span.context.trace_id, "032x") == CALLER_TRACE
    assert span.parent is not None
    assert format(span.parent.span_id, "016x") == "00f067aa0ba902b7"


async def test_a_server_error_marks_the_span_and_an_unknown_path_keeps_the_method(
    exporter: InMemorySpanExporter,
) -> None:
    app = app_with_spans(exporter)
    assert (await call(app, "GET", "/broken")).status_code == 503
    assert only(exporter).status.status_code is StatusCode.ERROR
    exporter.clear()
    assert (await call(app, "GET", "/nowhere")).status_code == 404
    span = only(exporter)
    assert span.name == "GET"
    assert span.status.status_code is StatusCode.UNSET


async def test_probes_make_no_span(exporter: InMemorySpanExporter) -> None:
    assert (await call(app_with_spans(exporter), "GET", "/healthz")).status_code == 200
    assert exporter.get_finished_spans() == ()

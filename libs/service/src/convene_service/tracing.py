"""Traces, exported with OpenTelemetry's SDK over OTLP/HTTP (docs/operations.md, "Traces").

Off unless OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, the
variables every OpenTelemetry SDK reads: then no provider is installed, every span in the code is
the API's no-op, and nothing is exported. On, each process exports its spans in batches (the
SDK's BatchSpanProcessor, off the request path) as `service.name` (the service's, or
OTEL_SERVICE_NAME) with a `service.instance.id` of its own, and the HTTP app's requests become
server spans (convene_service.server_spans, one span per request; the health probes are left out). Trace context
crosses Kafka in convene_delivery.tracing. The SDK's other OTEL_* variables apply as usual
(OTEL_TRACES_SAMPLER, OTEL_EXPORTER_OTLP_HEADERS, ...).
"""

import os
import socket
from collections.abc import Mapping

from fastapi import FastAPI

from convene_service.server_spans import ServerSpans

ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
# Probes come every few seconds from every orchestrator: spans of them would drown the rest.
UNTRACED_PATHS = ("/healthz", "/readyz", "/livez", "/metrics")


def tracing_configured(environ: Mapping[str, str] = os.environ) -> bool:
    if environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    return any(environ.get(name) for name in ENDPOINT_VARIABLES)


def instance_id() -> str:
    """Which process of a service a span came from: several instances (and HTTP workers) run."""
    return f"{socket.gethostname()}-{os.getpid()}"


def start_tracing(service: str, app: FastAPI) -> bool:
    """Installs the exporting provider and instruments `app` when tracing is configured; says
    whether it did."""
    if not tracing_configured():
        return False
    # Imported only when tracing is on: the SDK and the exporter (protobuf) would add to every
    # start of a service that does not trace, and of each of its HTTP workers.
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_INSTANCE_ID, SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    attributes = {SERVICE_INSTANCE_ID: instance_id()}
    if not os.environ.get("OTEL_SERVICE_NAME"):
        attributes[SERVICE_NAME] = service
    provider = TracerProvider(resource=Resource.create(attributes))  # flushed and shut down at exit
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    # Outermost of the app's own middleware, so the access log line carries the span's trace id.
    app.add_middleware(ServerSpans, tracer=provider.get_tracer("convene_service.http"), untraced=UNTRACED_PATHS)
    return True

"""Every log line of a service process, its own and uvicorn's, as one JSON object per line.

Fields: time, level, service, instance, logger, message, correlation_id (convene_delivery.correlation),
trace_id (the current OpenTelemetry span's, when tracing is on), and whatever ids a call passes in
`extra` (member_id, registration_id, delivery_id, ...). Ids only: no names or addresses go into a
log line (docs/operations.md, "Logs"). LOG_FORMAT=text keeps a readable line for local work.
"""

import logging
import os
import re
import socket
import sys
from typing import Any, Literal

from opentelemetry import trace
from pythonjsonlogger.json import JsonFormatter

from convene_delivery.correlation import current_correlation

LogFormat = Literal["json", "text"]
# uvicorn's loggers, and FastStream's own (its brokers log through convene_delivery.kafka's), keep
# handlers of their own unless told otherwise: they go through the root's.
_UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.access", "faststream")
_TEXT = "%(asctime)s %(levelname)s %(service)s %(name)s [%(correlation_id)s] %(message)s"


def default_instance() -> str:
    """Which process wrote a line when several serve one service: host name and pid."""
    return f"{socket.gethostname()}-{os.getpid()}"


class _Context(logging.Filter):
    """Stamps each record with the service, the instance and the ids of the work in hand."""

    def __init__(self, service: str, instance: str) -> None:
        super().__init__()
        self._service = service
        self._instance = instance

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self._service
        record.instance = self._instance
        correlation = current_correlation()
        record.correlation_id = str(correlation) if correlation else None
        record.trace_id = _trace_id()
        return True


def _trace_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


# Convene's own log calls name ids only; this catches the address a library's error message or a
# traceback carries (a database's "Key (email)=(...)", an SMTP server's refusal).
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def redacted(line: str) -> str:
    return _ADDRESS.sub("<address>", line)


class _Json(JsonFormatter):
    def format(self, record: logging.LogRecord) -> str:
        return redacted(super().format(record))


class _Text(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redacted(super().format(record))


def formatter(log_format: LogFormat) -> logging.Formatter:
    if log_format == "text":
        return _Text(_TEXT)
    fields = ["levelname", "service", "instance", "name", "message", "correlation_id", "trace_id"]
    renames: dict[str, Any] = {"levelname": "level", "name": "logger"}
    return _Json(fields, rename_fields=renames, timestamp="time", json_ensure_ascii=False)


class _OurHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The one handler set_up_logs installs: replaced, not doubled, when an app is made again."""


def set_up_logs(service: str, level: str, log_format: LogFormat, instance: str | None = None) -> None:
    """Sends every log line to stderr in the chosen format. Handlers others installed (a test
    runner's capture) stay; a handler of an earlier call is replaced."""
    handler = _OurHandler(sys.stderr)
    handler.addFilter(_Context(service, instance or default_instance()))
    handler.setFormatter(formatter(log_format))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _OurHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in _UVICORN:
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # The access line comes from convene_service.request_log, with the route and the correlation id.
    logging.getLogger("uvicorn.access").disabled = True

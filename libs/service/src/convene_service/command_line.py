"""A service's command line: `python -m <service> serve` or `migrate`."""

import asyncio
import importlib
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import asyncpg
import uvicorn
from fastapi import FastAPI

from convene_delivery.migrations import migrate
from convene_service.logs import set_up_logs
from convene_service.runtime import create_app, migration_sources
from convene_service.settings import ServiceSettings, load_settings
from convene_service.spec import ServiceSpec


def main(spec: ServiceSpec, argv: Sequence[str] | None = None) -> None:
    """`python -m <service> serve` runs the service; `... migrate` applies migrations and exits."""
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else "serve"
    settings = load_settings(spec.settings_class)
    if command == "migrate":
        asyncio.run(_migrate_only(spec, settings))
    elif command == "serve":
        options: dict[str, Any] = {
            "host": settings.http_host,
            "port": settings.http_port,
            "loop": "uvloop",
            "access_log": False,  # convene_service.request_log writes the access line
            "log_config": None,  # convene_service.logs sets up every logger, uvicorn's too
            "log_level": settings.log_level.lower(),
            "proxy_headers": True,
            "forwarded_allow_ips": settings.forwarded_allow_ips,
        }
        if settings.http_workers == 1:
            uvicorn.run(create_app(spec, settings), **options)
        else:
            # Several processes share the port. Each runs the relay, consumers and sweepers too, which
            # is safe: they are built for several instances (one relay leader, SKIP LOCKED, inboxes).
            os.environ[SPEC_VARIABLE] = f"{spec.name}.bootstrap:SPEC"
            # The supervising process writes lines too (workers started, restarted); each worker
            # sets up its own in create_app.
            set_up_logs(spec.name, settings.log_level, settings.log_format, settings.log_instance)
            with _metrics_directory(spec.name):
                uvicorn.run(f"{__name__}:app_from_environment", factory=True, workers=settings.http_workers, **options)
    else:
        raise SystemExit(f"usage: python -m {spec.name} [serve|migrate]")


SPEC_VARIABLE = "CONVENE_SERVICE_SPEC"


@contextmanager
def _metrics_directory(service: str) -> Iterator[None]:
    """Where several workers add their metrics up (convene_service.metrics): the operator's
    PROMETHEUS_MULTIPROC_DIR, or a fresh one for this start, removed when it stops, so a past
    run's counts are never added in."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        yield
        return
    with tempfile.TemporaryDirectory(prefix=f"convene-{service}-metrics-") as directory:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
        yield


def app_from_environment() -> FastAPI:
    """The app for one of several HTTP worker processes, which uvicorn starts by import path."""
    module, _, name = os.environ[SPEC_VARIABLE].partition(":")
    spec = getattr(importlib.import_module(module), name)
    assert isinstance(spec, ServiceSpec)
    return create_app(spec, load_settings(spec.settings_class))


async def _migrate_only(spec: ServiceSpec, settings: ServiceSettings) -> None:
    conn = await asyncpg.connect(settings.database_url)
    try:
        for name in await migrate(conn, migration_sources(spec)):
            print(f"applied {name}")
    finally:
        await conn.close()

"""Wires the conference service together."""

import asyncio
from pathlib import Path

from conference.adapters.stripe_gateway import StripeGateway
from conference.config import ConferenceSettings
from conference.entrypoints.holds import sweep_holds
from conference.entrypoints.http import ROUTERS
from conference.entrypoints.http.common import EXCEPTION_HANDLERS
from conference.entrypoints.subscribers import subscribe
from conference.service_layer.deps import Deps
from convene_contracts import CONFERENCE, MEMBERSHIP
from convene_delivery.runtime import Runtime, ServiceSpec


async def start(runtime: Runtime) -> None:
    settings = runtime.settings
    assert isinstance(settings, ConferenceSettings)
    deps = Deps(runtime.pool, StripeGateway(settings), settings)
    runtime.extras["deps"] = deps
    subscribe(runtime)
    runtime.extras.setdefault("tasks", []).append(asyncio.create_task(sweep_holds(deps), name="hold-sweeper"))


SPEC = ServiceSpec(
    name="conference",
    settings_class=ConferenceSettings,
    migrations=Path(__file__).parent / "migrations",
    topics=[MEMBERSHIP, CONFERENCE],
    routers=ROUTERS,
    start=start,
    exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
    description="Conferences, ticket types, holds and registrations. Publishes convene.conference.v1.",
)

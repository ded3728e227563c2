"""What conference's use cases need, wired once in bootstrap: the settings, the clock, the
gateways to the outside world (each a Protocol, so the unit tests pass fakes) and `uow`, the
unit-of-work factory."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from conference.config import ConferenceSettings
from conference.service_layer.gateways import Holds, Payments
from conference.service_layer.unit_of_work import UnitOfWork, Views


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    settings: ConferenceSettings
    stripe: Payments
    holds: Holds  # this process's reads and writes of holds arriving together
    views: Views  # reads outside any transaction, one round trip each as before
    uow: Callable[[], UnitOfWork]
    clock: Callable[[], datetime] = field(default=utc_now)

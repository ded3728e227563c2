"""What the use cases need from the outside world, wired once in bootstrap."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from membership.config import MembershipSettings
from membership.service_layer.payment_provider import PaymentProvider
from membership.service_layer.unit_of_work import UnitOfWork


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    settings: MembershipSettings
    stripe: PaymentProvider
    uow: Callable[[], UnitOfWork]  # a new unit of work per call: `async with deps.uow() as uow:`
    clock: Callable[[], datetime] = field(default=utc_now)  # tests move time by passing their own

"""What conference's use cases need, wired once in bootstrap."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg

from conference.adapters.capacity import Capacity, ShardedCapacity
from conference.adapters.stripe_gateway import StripeGateway
from conference.config import ConferenceSettings
from conference.service_layer.hold_batches import HoldBatches


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    pool: asyncpg.Pool
    stripe: StripeGateway
    settings: ConferenceSettings
    capacity: Capacity = field(default_factory=ShardedCapacity)
    clock: Callable[[], datetime] = field(default=utc_now)
    holds: HoldBatches = field(default_factory=HoldBatches)  # this process's batches of one-seat holds

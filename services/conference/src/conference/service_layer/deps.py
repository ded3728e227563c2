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
    holds: HoldBatches  # this process's reads and writes of holds arriving together
    capacity: Capacity = field(default_factory=ShardedCapacity)
    clock: Callable[[], datetime] = field(default=utc_now)

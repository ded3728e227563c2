"""What the use cases need from the outside world, wired once in bootstrap."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import asyncpg

from membership.adapters.stripe_gateway import StripeGateway
from membership.config import MembershipSettings


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Deps:
    pool: asyncpg.Pool
    stripe: StripeGateway
    settings: MembershipSettings
    clock: Callable[[], datetime] = field(default=utc_now)  # tests move time by passing their own

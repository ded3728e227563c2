"""Membership's Kafka subscription: the parts of exports that the other services send back."""

from functools import partial

from convene_contracts import EXPORTS
from convene_delivery.consumer import Subscription
from convene_service.spec import Runtime
from membership.adapters import exports


def subscribe(runtime: Runtime) -> None:
    Subscription(
        runtime.broker,
        topic=EXPORTS,
        group_id="membership",
        handlers={t: partial(handler, runtime.pool) for t, handler in exports.HANDLERS.items()},
        retry=runtime.retry,
    )

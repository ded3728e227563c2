"""Conference's Kafka subscriptions."""

from functools import partial

from conference.adapters import exports, members
from convene_contracts import MEMBERSHIP
from convene_delivery.consumer import Subscription
from convene_service.spec import Runtime


def subscribe(runtime: Runtime) -> None:
    Subscription(
        runtime.broker,
        topic=MEMBERSHIP,
        group_id="conference",
        handlers={
            event_type: partial(handler, runtime.pool)
            for event_type, handler in (members.HANDLERS | exports.HANDLERS).items()
        },
        retry=runtime.retry,
    )

"""Conference's Kafka subscriptions."""

from functools import partial

from conference.service_layer import members
from convene_contracts import MEMBERSHIP
from convene_delivery.consumer import Subscription
from convene_delivery.runtime import Runtime


async def subscribe(runtime: Runtime) -> None:
    Subscription(
        runtime.broker,
        topic=MEMBERSHIP,
        group_id="conference",
        handlers={"membership.activated": partial(members.membership_activated, runtime.pool)},
        retry=runtime.retry,
    )

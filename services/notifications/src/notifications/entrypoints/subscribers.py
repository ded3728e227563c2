"""Notifications' Kafka subscriptions: every domain topic, one consumer group."""

from convene_contracts import CONFERENCE, MEMBERSHIP
from convene_delivery.consumer import Handler, Subscription
from convene_service.runtime import Runtime
from notifications.domain.catalog import KINDS
from notifications.service_layer.intake import Intake


def subscribe(runtime: Runtime, intake: Intake) -> None:
    for topic in (MEMBERSHIP, CONFERENCE):
        handlers: dict[str, Handler] = {t: intake.take_in for t in KINDS if t.startswith(topic.split(".")[1])}
        if topic == MEMBERSHIP:
            handlers["membership.member_erased"] = intake.take_in
        # In batches: a backlog is taken in at one transaction and one offset commit per batch (B4).
        Subscription(runtime.broker, topic=topic, group_id="notifications", handlers=handlers, retry=runtime.retry,
                     batch=intake.take_in_batch)  # fmt: skip

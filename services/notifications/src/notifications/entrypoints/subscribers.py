"""Notifications' Kafka subscriptions: every domain topic, one consumer group."""

from functools import partial

from convene_contracts import CONFERENCE, MEMBERSHIP
from convene_delivery.consumer import Handler, Subscription
from convene_service.spec import Runtime
from notifications.domain.catalog import KINDS
from notifications.service_layer import intake
from notifications.service_layer.deps import Deps


def subscribe(runtime: Runtime, deps: Deps) -> None:
    take_in: Handler = partial(intake.take_in, deps)
    for topic in (MEMBERSHIP, CONFERENCE):
        handlers: dict[str, Handler] = {t: take_in for t in KINDS if t.startswith(topic.split(".")[1])}
        # Erasures: membership's of a member, conference's of an attendee who asked on their page.
        handlers["membership.member_erased" if topic == MEMBERSHIP else "conference.attendee_erased"] = take_in
        if topic == MEMBERSHIP:
            handlers["membership.export_requested"] = take_in  # notifications' part of a person's export
        # In batches: a backlog is taken in at one transaction and one offset commit per batch (B4).
        Subscription(
            runtime.broker,
            topic=topic,
            group_id="notifications",
            handlers=handlers,
            retry=runtime.retry,
            batch=partial(intake.take_in_batch, deps),
        )

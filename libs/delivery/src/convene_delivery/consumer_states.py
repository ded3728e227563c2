"""What each Kafka consumer of a process is doing now, for the detailed health endpoint
(docs/operations.md, "Health"): its group, the topics it reads, the partitions the group has
assigned to it, and whether it runs. Read from the broker's own subscribers, so it shows every
consumer, whoever registered it (a Subscription, the audit collector)."""

from typing import Any

from faststream.kafka import KafkaBroker


def consumer_states(broker: KafkaBroker) -> list[dict[str, Any]]:
    """One entry per consumer, sorted by group and topics. A consumer that has not joined its
    group yet, or lost its partitions in a rebalance, shows none assigned."""
    states = []
    for subscriber in broker.subscribers:
        consumer: Any = getattr(subscriber, "consumer", None)
        assigned: dict[str, list[int]] = {}
        for tp in consumer.assignment() if consumer is not None else ():
            assigned.setdefault(tp.topic, []).append(tp.partition)
        states.append(
            {
                "group": getattr(subscriber, "group_id", None),
                "topics": sorted(getattr(subscriber, "topic_names_for_subscribe", [])),
                "assigned": {topic: sorted(parts) for topic, parts in sorted(assigned.items())},
                "running": bool(subscriber.running) and consumer is not None,
            }
        )
    return sorted(states, key=lambda s: (str(s["group"]), s["topics"]))

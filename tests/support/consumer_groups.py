"""Who in each consumer group reads which partitions, as the group's coordinator broker says
(DescribeGroups): how a test sees that two instances of a service share a group's partitions."""

from dataclasses import dataclass
from typing import TypeAlias

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment
from aiokafka.protocol.admin import DescribeGroupsRequest_v0, DescribeGroupsRequest_v1, DescribeGroupsRequest_v2
from aiokafka.protocol.api import Request
from aiokafka.structs import TopicPartition

_UpToV2: TypeAlias = DescribeGroupsRequest_v0 | DescribeGroupsRequest_v1 | DescribeGroupsRequest_v2


class _DescribeGroups(Request[_UpToV2]):  # type: ignore[misc]  # aiokafka ships no types for it
    """DescribeGroups at version 2 at most: aiokafka 0.14 decodes a version 3 answer with version
    2's schema (its DescribeGroupsRequest_v3.RESPONSE_TYPE), which fails on Kafka 4 with "Buffer
    underrun decoding string". Versions 0 to 2 carry all this needs."""

    API_KEY = 15

    def __init__(self, groups: list[str]) -> None:
        self._groups = groups

    def build(self, request_struct_class: type[_UpToV2]) -> _UpToV2:
        return request_struct_class(self._groups)


@dataclass(frozen=True)
class Group:
    name: str
    state: str
    members: dict[str, frozenset[TopicPartition]]  # member id -> its partitions

    @property
    def shared(self) -> bool:
        """Every member reads something and no partition is read by two members."""
        assigned = [p for partitions in self.members.values() for p in partitions]
        return all(self.members.values()) and len(assigned) == len(set(assigned))


async def describe_groups(bootstrap: str) -> dict[str, Group]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        names = [g[0] for g in await admin.list_consumer_groups()]
        # Each group asked of its own coordinator; admin's describe_consumer_groups cannot be
        # told the version, so this sends the request as that method does.
        responses = [await admin._send_request(_DescribeGroups([n]), await admin.find_coordinator(n)) for n in names]
    finally:
        await admin.close()
    groups = {}
    for response in responses:
        for described in response.to_object()["groups"]:
            members = {
                m["member_id"]: frozenset(ConsumerProtocolMemberAssignment.decode(m["member_assignment"]).partitions())
                if m["member_assignment"]
                else frozenset()
                for m in described["members"]
            }
            groups[described["group"]] = Group(described["group"], described["state"], members)
    return groups


async def replicas(bootstrap: str, topic: str) -> set[int]:
    """How many copies each partition of `topic` has (one number if all have the same)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        [described] = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return {len(p["replicas"]) for p in described["partitions"]}

"""The delivery log (N3): what was sent to whom, when, and how it went; and sending one again.

The JSON API and the operators' page both read and resend through here.
"""

from typing import Any
from uuid import UUID

from notifications.domain.deliveries import LogFilters
from notifications.domain.errors import NoSuchDelivery
from notifications.service_layer.deps import Deps

STATUSES = ("pending", "sent", "failed")


async def find(deps: Deps, filters: LogFilters) -> list[dict[str, Any]]:
    """Newest first."""
    return await deps.views.find(filters)


async def resend(deps: Deps, delivery_id: UUID) -> str:
    """Queues the email again, attachments and Message-ID unchanged, and wakes the sender; its
    recipient. NoSuchDelivery when there is none, or its person was erased (nothing left to send)."""
    recipient = await deps.queue.requeue(delivery_id)
    if recipient is None:
        raise NoSuchDelivery(delivery_id)
    return recipient

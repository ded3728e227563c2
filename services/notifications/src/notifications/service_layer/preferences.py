"""Reminder preferences (N4): an address that unsubscribed gets no more reminders; receipts,
tickets and sign-in links still go. Used by the one-click API and by the unsubscribe page, both
reached through a signed link (domain/unsubscribe_links.py)."""

from notifications.domain.errors import AlreadyUnsubscribed, NotOurLink
from notifications.service_layer.deps import Deps


def check_link(deps: Deps, email: str, sig: str) -> None:
    if not deps.links.signed_by_us(email, sig):
        raise NotOurLink(email)


async def is_unsubscribed(deps: Deps, email: str, sig: str) -> bool:
    check_link(deps, email, sig)
    return await deps.views.is_unsubscribed(email)


async def unsubscribe(deps: Deps, email: str, sig: str) -> None:
    """AlreadyUnsubscribed the second time: nothing changes."""
    check_link(deps, email, sig)
    if not await deps.queue.unsubscribe(email):
        raise AlreadyUnsubscribed(email)

"""Which email each event calls for."""

import logging
from dataclasses import dataclass

import asyncpg

from convene_contracts import Event
from convene_contracts.membership import MembershipActivated
from notifications.adapters.templates import Renderer
from notifications.domain.email import format_amount
from notifications.service_layer.deliveries import Sender, owe_email, send_delivery

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Dependencies:
    pool: asyncpg.Pool
    renderer: Renderer
    sender: Sender


async def membership_activated(deps: Dependencies, event: Event) -> None:
    assert isinstance(event, MembershipActivated)
    p = event.payload
    email = deps.renderer.render(
        "membership.activated",
        p.email,
        member_name=p.member_name,
        level_name=p.level_name,
        period_end=p.period_end.date().isoformat() if p.period_end else None,
        amount=format_amount(p.amount_minor, p.currency),
    )
    delivery_id = await owe_email(deps.pool, event, email)
    if delivery_id is None:
        return  # seen before: its email is sent or owed already
    try:
        await send_delivery(deps.pool, deps.sender, delivery_id)
    except Exception:
        # The event is safely recorded; the row stays pending and the sweeper sends it later.
        log.warning("sending delivery %s failed; the sweeper will retry", delivery_id, exc_info=True)

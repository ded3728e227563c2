"""Which email each event calls for."""

import logging
from dataclasses import dataclass

import asyncpg

from convene_contracts import Event
from convene_contracts.membership import MembershipActivated, SignInRequested
from notifications.adapters.templates import Renderer
from notifications.domain.email import RenderedEmail, format_amount
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
    await _deliver(deps, event, email)


async def sign_in_requested(deps: Dependencies, event: Event) -> None:
    assert isinstance(event, SignInRequested)
    p = event.payload
    expires = p.expires_at.strftime("%H:%M UTC on %d %B %Y")
    email = deps.renderer.render(
        "membership.sign_in_requested", p.email, member_name=p.member_name, sign_in_url=p.sign_in_url,
        expires_at=expires,
    )  # fmt: skip
    await _deliver(deps, event, email)


async def _deliver(deps: Dependencies, event: Event, email: RenderedEmail) -> None:
    delivery_id = await owe_email(deps.pool, event, email)
    if delivery_id is None:
        return  # seen before: its email is sent or owed already
    try:
        await send_delivery(deps.pool, deps.sender, delivery_id)
    except Exception:
        # The event is safely recorded; the row stays pending and the sweeper sends it later.
        log.warning("sending delivery %s failed; the sweeper will retry", delivery_id, exc_info=True)

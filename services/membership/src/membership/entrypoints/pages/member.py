"""The signed-in member's page (M6, M7, M9): their memberships with what they can do about each,
their payments with a printable receipt for each. Anything not theirs is a 404, never a 403."""

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from convene_web.access import MemberPage, PageNotFound
from convene_web.forms import FormState
from convene_web.pages import Pages, PagesOf
from membership.domain.errors import NotFound
from membership.domain.model import CURRENT, Level, LevelKind, Membership, MembershipStatus
from membership.entrypoints.http.common import DepsOf
from membership.service_layer import levels, privacy, seats, self_service
from membership.service_layer.deps import Deps
from membership.service_layer.lookups import Overview

router = APIRouter(prefix="/membership/me", include_in_schema=False)

# What the page says after an action sent the member back to it (?done=...).
DONE = {
    "auto-renew-stopped": "Automatic renewal is stopped. Your membership runs to the end of the period you have paid "
    "for, and your card is not charged again.",
    "level-changed": "Your membership level is changed.",
    "seat-assigned": "The seat is assigned.",
    "seat-freed": "The seat is free again.",
}


@dataclass(frozen=True)
class MyMembership:
    """One membership as the member page shows it, with the actions its state allows."""

    membership: Membership
    level: Level
    can_renew: bool  # by hand, for the next period
    can_stop_auto_renew: bool
    other_levels: list[Level]  # it may move to (level_choices)
    seats_in_use: int | None  # organizational memberships only


async def own_overview(deps: Deps, member_id: UUID) -> Overview:
    """The member's overview; an erased member is gone, even to a copied (stateless) session cookie."""
    try:
        found = await self_service.overview(deps, member_id)
    except NotFound:
        raise PageNotFound("member") from None
    if found.member.email == privacy.erased_email(member_id):
        raise PageNotFound("member")
    return found


def level_choices(membership: Membership, level: Level, open_levels: list[Level]) -> list[Level]:
    """Levels an active membership may move to: the same currency and term (the service's rule),
    and the same kind, so an organization's seats neither vanish nor appear without a name."""
    if membership.status is not MembershipStatus.ACTIVE:
        return []
    same = (level.currency, level.term, level.kind)
    return [o for o in open_levels if o.id != level.id and (o.currency, o.term, o.kind) == same]


async def render_me(
    request: Request,
    pages: Pages,
    deps: Deps,
    member_id: UUID,
    *,
    status: int = 200,
    form: FormState | None = None,
    done: str | None = None,
) -> Response:
    overview = await own_overview(deps, member_id)
    open_levels = await levels.list_levels(deps)
    mine = []
    for m, level in overview.memberships:
        in_use = None
        if level.kind is LevelKind.ORGANIZATIONAL and m.status in CURRENT:
            in_use = len(await seats.list_seats(deps, member_id, m.id))
        mine.append(
            MyMembership(
                m,
                level,
                can_renew=m.status in CURRENT and level.renews and not m.auto_renew,
                can_stop_auto_renew=m.auto_renew and m.stripe_subscription_id is not None,
                other_levels=level_choices(m, level, open_levels),
                seats_in_use=in_use,
            )
        )
    return pages.render(
        request,
        "me.html",
        status=status,
        form=form or FormState(),
        overview=overview,
        memberships=mine,
        has_card=any(p["method"] == "stripe" for p in overview.payments),
        done=DONE.get(done or ""),
        zone=deps.settings.association_timezone,
        section="member",
    )


@router.get("")
async def member_page(
    request: Request,
    session: MemberPage,
    pages: PagesOf,
    deps: DepsOf,
    done: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    assert session.member_id is not None
    return await render_me(request, pages, deps, session.member_id, done=done)


@router.get("/payments/{payment_id}")
async def receipt_page(
    payment_id: UUID, request: Request, session: MemberPage, pages: PagesOf, deps: DepsOf
) -> Response:
    assert session.member_id is not None
    await own_overview(deps, session.member_id)
    try:
        receipt = await self_service.receipt(deps, session.member_id, payment_id)
    except NotFound:
        raise PageNotFound("receipt") from None
    return pages.render(
        request, "receipt.html", receipt=receipt, zone=deps.settings.association_timezone, section="member"
    )

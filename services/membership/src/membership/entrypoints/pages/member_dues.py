"""What a member does about their dues from their page (M4, M6, M9): stop automatic renewal,
renew by hand, manage their card in Stripe's Customer Portal, move to another level. Each is the
service layer's own use case; a refusal comes back on the member page in words."""

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from convene_service.payments import PaymentProviderUnavailable
from convene_web.access import MemberPage, PageNotFound
from convene_web.csrf import CsrfProtected
from convene_web.formatting import money
from convene_web.forms import FormState, posted, validate
from convene_web.pages import Pages, PagesOf
from membership.domain.errors import Conflict, Invalid, NotFound
from membership.domain.model import Level, Membership, proration
from membership.entrypoints.http.common import Ctx, DepsOf
from membership.entrypoints.pages.member import level_choices, own_overview, render_me
from membership.service_layer import joining, levels, self_service
from membership.service_layer.deps import Deps

router = APIRouter(prefix="/membership/me", include_in_schema=False)
UNAVAILABLE = "The payment service did not answer, so nothing changed. Please try again shortly."
Refusal = (NotFound, Conflict, PaymentProviderUnavailable)


async def refused(request: Request, pages: Pages, deps: Deps, member_id: UUID, error: Exception) -> Response:
    if isinstance(error, NotFound):
        raise PageNotFound("membership")  # someone else's, or none: the same answer
    if isinstance(error, PaymentProviderUnavailable):
        return await render_me(request, pages, deps, member_id, status=502, form=FormState(problem=UNAVAILABLE))
    problem = f"{str(error)[:1].upper()}{str(error)[1:]}."
    return await render_me(request, pages, deps, member_id, status=409, form=FormState(problem=problem))


@router.post("/memberships/{membership_id}/auto-renew/stop", dependencies=[CsrfProtected])
async def stop_auto_renew(
    membership_id: UUID, request: Request, session: MemberPage, pages: PagesOf, deps: DepsOf
) -> Response:
    assert session.member_id is not None
    try:
        await self_service.stop_auto_renew(deps, session.member_id, membership_id)
    except Refusal as error:
        return await refused(request, pages, deps, session.member_id, error)
    return pages.redirect("/membership/me?done=auto-renew-stopped")


@router.post("/memberships/{membership_id}/renew", dependencies=[CsrfProtected])
async def renew(membership_id: UUID, request: Request, session: MemberPage, pages: PagesOf, deps: DepsOf) -> Response:
    assert session.member_id is not None
    try:
        checkout_url = await joining.start_renewal(deps, session.member_id, membership_id)
    except Refusal as error:
        return await refused(request, pages, deps, session.member_id, error)
    return pages.redirect(checkout_url)  # Stripe sends the member back to their page


@router.post("/billing-portal", dependencies=[CsrfProtected])
async def billing_portal(request: Request, session: MemberPage, pages: PagesOf, deps: DepsOf) -> Response:
    assert session.member_id is not None
    try:
        portal_url = await self_service.portal_url(deps, session.member_id)
    except Refusal as error:
        return await refused(request, pages, deps, session.member_id, error)
    return pages.redirect(portal_url)


def what_it_costs(membership: Membership, old: Level, new: Level, deps: Deps) -> str:
    """The same proration the change will apply, said before the member confirms."""
    if membership.stripe_subscription_id:
        return "Stripe adjusts your next automatic payment for the rest of this period."
    due = proration(old.price_minor, new.price_minor, membership.period_start, membership.period_end, deps.clock())
    if due > 0:
        return f"You pay {money(due, new.currency)} now for the rest of this period; the change applies once paid."
    if due < 0:
        unused = money(-due, new.currency)
        return f"{unused} of what you paid goes unused: the association refunds it or carries it over."
    return "Nothing more to pay."


class LevelChoice(BaseModel):
    level: UUID


CHOOSE = "Choose the level to move to"


async def _choices(deps: Deps, member_id: UUID, membership_id: UUID) -> tuple[Membership, Level, list[Level]]:
    overview = await own_overview(deps, member_id)
    found = next(((m, lv) for m, lv in overview.memberships if m.id == membership_id), None)
    if found is None:
        raise PageNotFound("membership")
    membership, level = found
    return membership, level, level_choices(membership, level, await levels.list_levels(deps))


async def _change_page(
    request: Request, pages: Pages, deps: Deps, member_id: UUID, membership_id: UUID, form: FormState, status: int = 200
) -> Response:
    membership, level, choices = await _choices(deps, member_id, membership_id)
    return pages.render(
        request,
        "change_level.html",
        status=status,
        form=form,
        membership=membership,
        level=level,
        choices=[(o, what_it_costs(membership, level, o, deps)) for o in choices],
        zone=deps.settings.association_timezone,
        section="member",
    )


@router.get("/memberships/{membership_id}/level")
async def change_level_form(
    membership_id: UUID, request: Request, session: MemberPage, pages: PagesOf, deps: DepsOf
) -> Response:
    assert session.member_id is not None
    return await _change_page(request, pages, deps, session.member_id, membership_id, FormState())


@router.post("/memberships/{membership_id}/level", dependencies=[CsrfProtected])
async def change_level(
    membership_id: UUID, request: Request, session: MemberPage, pages: PagesOf, deps: DepsOf, ctx: Ctx
) -> Response:
    assert session.member_id is not None
    choice, form = validate(LevelChoice, posted(await request.form()), {"level": CHOOSE})
    _, _, choices = await _choices(deps, session.member_id, membership_id)
    if choice is not None and choice.level not in {o.id for o in choices}:
        form.errors["level"] = CHOOSE  # only what the page offered
    if not form.has_errors and choice is not None:
        try:
            change = await self_service.change_level(deps, ctx, session.member_id, membership_id, choice.level)
        except Invalid:
            form.errors["level"] = CHOOSE
        except Refusal as error:
            return await refused(request, pages, deps, session.member_id, error)
        else:
            return pages.redirect(change.checkout_url or "/membership/me?done=level-changed")
    return await _change_page(request, pages, deps, session.member_id, membership_id, form, status=400)

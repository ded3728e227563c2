"""Operators record dues paid by cheque, bank transfer or cash (M11): a new membership activates,
or the chosen one activates or renews, exactly as if paid online."""

from datetime import date, datetime, time
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from convene_contracts.email import Email
from convene_web.access import OperatorPage, PageNotFound
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted, validate
from convene_web.pages import Pages, PagesOf
from membership.domain.errors import Conflict, Invalid
from membership.domain.model import Level
from membership.entrypoints.http.common import Ctx, DepsOf
from membership.entrypoints.pages.words import METHOD, minor_units
from membership.service_layer import joining, levels, self_service
from membership.service_layer.deps import Deps

router = APIRouter(prefix="/membership/operator/payments", include_in_schema=False)


class OfflinePaymentForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    email: Email
    level: UUID
    amount: str = Field(max_length=20)
    method: Literal["cheque", "bank_transfer", "cash"]
    reference: str = Field(min_length=1, max_length=200)
    paid_on: date | None = None
    membership: UUID | None = None


MESSAGES = {
    "name": "Enter the member's full name",
    "email": "Enter the member's email address, like name@example.org",
    "level": "Choose the level the dues are for",
    "amount": "Enter the amount received, like 75.00, in the level's currency",
    "method": "Choose how the dues were paid",
    "reference": "Enter the cheque number or the transfer's reference",
    "paid_on": "Enter the day the payment arrived, like 2026-11-27, not after today",
    "membership": "This membership is not at the chosen level: record the payment from the member's page again.",
}


async def _form_page(request: Request, pages: Pages, deps: Deps, form: FormState, status: int = 200) -> Response:
    all_levels = await levels.list_levels(deps, include_retired=bool(form.value("membership")))
    return pages.render(
        request,
        "operator/offline_payment.html",
        status=status,
        form=form,
        levels=all_levels,
        methods=list(METHOD.items())[1:],
        section="operator",
    )


@router.get("/new")
async def offline_payment_form(
    request: Request,
    operator: OperatorPage,
    pages: PagesOf,
    deps: DepsOf,
    membership: Annotated[UUID | None, Query()] = None,
) -> Response:
    values = {}
    if membership is not None:  # a renewal or late payment for a membership from the member's page
        found = await joining.application(deps, membership)
        if found is None:
            raise PageNotFound("membership")
        member = (await self_service.overview(deps, found[0].member_id)).member
        values = {"membership": str(membership), "level": str(found[1].id), "name": member.name, "email": member.email}
    return await _form_page(request, pages, deps, FormState(values=values))


def paid_at(typed: str, deps: Deps) -> datetime | None:
    """When the payment arrived: today (or nothing typed) is now; an earlier day is its midday in
    the association's zone; a later day, or no date at all, is None."""
    now = deps.clock()
    today = now.astimezone(deps.settings.zone).date()
    try:
        day = date.fromisoformat(typed.strip()) if typed.strip() else today
    except ValueError:
        return None
    if day == today:
        return now
    return None if day > today else datetime.combine(day, time(12), deps.settings.zone)


async def _chosen_level(deps: Deps, typed: str) -> Level | None:
    try:
        return await levels.get_level(deps, UUID(typed))
    except ValueError:
        return None


@router.post("/new", dependencies=[CsrfProtected])
async def record_offline_payment(
    request: Request, operator: OperatorPage, pages: PagesOf, deps: DepsOf, ctx: Ctx
) -> Response:
    entered, form = validate(OfflinePaymentForm, posted(await request.form()), MESSAGES)
    # Checked whatever else is wrong, so every problem shows at once: the amount in the level's
    # currency, the day not after today.
    level = await _chosen_level(deps, form.value("level"))
    amount = minor_units(form.value("amount"), level.currency if level else "usd")
    when = paid_at(form.value("paid_on"), deps)
    for field, problem in (("level", level is None), ("amount", amount is None), ("paid_on", when is None)):
        if problem:
            form.errors.setdefault(field, MESSAGES[field])
    if entered is None or level is None or amount is None or when is None:
        return await _form_page(request, pages, deps, form, status=400)
    try:
        membership = await joining.record_offline_payment(
            deps,
            ctx,
            name=entered.name,
            email=entered.email.lower(),
            level_id=level.id,
            amount_minor=amount,
            currency=level.currency,
            method=entered.method,
            reference=entered.reference,
            paid_at=when,
            membership_id=entered.membership,
        )
    except Invalid as refused:
        if refused.field == "membership_id":
            form.problem = MESSAGES["membership"]
        else:
            form.errors["level"] = MESSAGES["level"]
    except Conflict as refused:
        if refused.field == "reference":
            form.errors["reference"] = "A payment with this reference is recorded already"
        else:
            form.problem = f"{str(refused)[:1].upper()}{str(refused)[1:]}: nothing was recorded."
    else:
        return pages.redirect(f"/membership/operator/members/{membership.member_id}?done=payment-recorded")
    return await _form_page(request, pages, deps, form, status=400)

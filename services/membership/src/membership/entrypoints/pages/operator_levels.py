"""Operators keep the membership levels (M1): create, edit and retire them. A price change is for
new members and renewals; a retired level takes no new members and keeps the ones it has."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from convene_web.access import OperatorPage, PageNotFound
from convene_web.csrf import CsrfProtected
from convene_web.forms import FormState, posted, validate
from convene_web.pages import Pages, PagesOf
from membership.domain.errors import Conflict, Invalid, NotFound
from membership.domain.model import Level, LevelKind, Term
from membership.entrypoints.http.common import DepsOf
from membership.entrypoints.pages.words import major_units, minor_units
from membership.service_layer import levels
from membership.service_layer.deps import Deps

router = APIRouter(prefix="/membership/operator/levels", include_in_schema=False)
MAX_PRICE_MINOR = 100_000_000  # as the API allows


class LevelForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    price: str = Field(max_length=20)
    currency: str = Field(default="", pattern=r"^[A-Za-z]{3}$")
    term: Term | None = None
    kind: LevelKind = LevelKind.INDIVIDUAL
    seat_count: int | None = Field(default=None, ge=1, le=100_000)
    description: str = Field(default="", max_length=2000)


MESSAGES = {
    "name": "Enter the level's name (200 characters at most)",
    "price": "Enter the price as an amount, like 75 or 75.00 (0 for a free level)",
    "currency": "Enter the currency's three-letter code, like USD, CAD or EUR",
    "term": "Choose how long a membership at this level lasts",
    "kind": "Choose who the level is for",
    "seat_count": "Enter how many people the organization may name, from 1 to 100,000",
    "description": "Keep the description to 2,000 characters",
}
NAME_TAKEN = "A level with this name exists already: choose another name"


def checked(form: FormState, currency: str, new: bool) -> int | None:
    """The price in minor units, adding to `form` what pydantic cannot see, so that every problem
    shows at once: an amount in the currency's units (no cents for yen), a term for a new level, a
    seat count for an organizational one."""
    price = minor_units(form.value("price"), currency)
    if price is None or price > MAX_PRICE_MINOR:
        form.errors.setdefault("price", MESSAGES["price"])
    if new and not form.value("term").strip():
        form.errors.setdefault("term", MESSAGES["term"])
    organizational = form.value("kind") == LevelKind.ORGANIZATIONAL.value
    if organizational and not form.value("seat_count").strip():
        form.errors.setdefault("seat_count", MESSAGES["seat_count"])
    return None if form.errors else price


def _form_page(request: Request, pages: Pages, form: FormState, level: Level | None, status: int = 200) -> Response:
    return pages.render(
        request, "operator/level_form.html", status=status, form=form, level=level, terms=list(Term), section="operator"
    )


@router.get("")
async def levels_page(request: Request, operator: OperatorPage, pages: PagesOf, deps: DepsOf) -> Response:
    return pages.render(
        request, "operator/levels.html", levels=await levels.list_levels(deps, include_retired=True), section="operator"
    )


@router.get("/new")
async def new_level_form(request: Request, operator: OperatorPage, pages: PagesOf) -> Response:
    return _form_page(request, pages, FormState(values={"kind": "individual", "currency": "USD"}), None)


@router.post("/new", dependencies=[CsrfProtected])
async def create_level(request: Request, operator: OperatorPage, pages: PagesOf, deps: DepsOf) -> Response:
    entered, form = validate(LevelForm, posted(await request.form()), MESSAGES)
    price = checked(form, form.value("currency").strip().lower(), new=True)
    if entered is not None and entered.term is not None and price is not None:
        organizational = entered.kind is LevelKind.ORGANIZATIONAL
        try:
            await levels.create_level(
                deps,
                name=entered.name,
                price_minor=price,
                currency=entered.currency.lower(),
                term=entered.term,
                kind=entered.kind,
                seat_count=entered.seat_count if organizational else None,
                description=entered.description,
            )
        except (Conflict, Invalid) as refused:
            form.errors[refused.field or "name"] = NAME_TAKEN if refused.field == "name" else str(refused)
        else:
            return pages.redirect("/membership/operator/levels")
    return _form_page(request, pages, form, None, status=400)


async def _level(deps: Deps, level_id: UUID) -> Level:
    found = await levels.get_level(deps, level_id)
    if found is None:
        raise PageNotFound("level")
    return found


@router.get("/{level_id}")
async def edit_level_form(
    level_id: UUID, request: Request, operator: OperatorPage, pages: PagesOf, deps: DepsOf
) -> Response:
    level = await _level(deps, level_id)
    values = {
        "name": level.name,
        "price": major_units(level.price_minor, level.currency),
        "seat_count": str(level.seat_count or ""),
        "description": level.description,
    }
    return _form_page(request, pages, FormState(values=values), level)


@router.post("/{level_id}", dependencies=[CsrfProtected])
async def edit_level(
    level_id: UUID, request: Request, operator: OperatorPage, pages: PagesOf, deps: DepsOf
) -> Response:
    level = await _level(deps, level_id)
    # What cannot change is taken from the level: currency, term and kind make another level.
    fixed = {"currency": level.currency, "term": level.term.value, "kind": level.kind.value}
    entered, form = validate(LevelForm, posted(await request.form()) | fixed, MESSAGES)
    price = checked(form, level.currency, new=False)
    if entered is not None and price is not None:
        changes: dict[str, Any] = {"name": entered.name, "price_minor": price, "description": entered.description}
        if level.kind is LevelKind.ORGANIZATIONAL:
            changes["seat_count"] = entered.seat_count
        try:
            await levels.edit_level(deps, level_id, changes)
        except (Conflict, Invalid) as refused:
            form.errors[refused.field or "name"] = NAME_TAKEN if refused.field == "name" else str(refused)
        else:
            return pages.redirect("/membership/operator/levels")
    return _form_page(request, pages, form, level, status=400)


@router.post("/{level_id}/retire", dependencies=[CsrfProtected])
async def retire_level(level_id: UUID, operator: OperatorPage, pages: PagesOf, deps: DepsOf) -> Response:
    try:
        await levels.retire_level(deps, level_id)
    except NotFound:
        raise PageNotFound("level") from None
    return pages.redirect("/membership/operator/levels")

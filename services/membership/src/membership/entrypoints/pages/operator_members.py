"""Operators find members (M8): search by name, address or organization, filter by status, level
and period end, download the same list as CSV, and open one member's history."""

from datetime import date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from convene_web.access import OperatorPage, PageNotFound
from convene_web.forms import validate
from convene_web.pages import PagesOf
from membership.domain.model import MembershipStatus
from membership.entrypoints.http.common import DepsOf
from membership.service_layer import levels, operators
from membership.service_layer.deps import Deps

router = APIRouter(prefix="/membership/operator", include_in_schema=False)
PAGE_SIZE = 50


class MemberSearch(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    q: str | None = Field(default=None, max_length=200)
    status: MembershipStatus | None = None
    level: UUID | None = None
    expires_before: date | None = None
    page: int = Field(default=1, ge=1, le=100_000)


MESSAGES = {
    "q": "Search with 200 characters at most",
    "status": "Choose a status from the list",
    "level": "Choose a level from the list",
    "expires_before": "Enter a date like 2026-12-31",
    "page": "There is no such page of results",
}


def member_filter(search: MemberSearch, deps: Deps) -> operators.MemberFilter:
    # "Paid until on or before" a day: up to the end of that day in the association's time zone.
    until = None
    if search.expires_before:
        until = datetime.combine(search.expires_before + timedelta(days=1), time(), deps.settings.zone)
    return operators.MemberFilter(search.q, search.status.value if search.status else None, until, search.level)


def _query(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if k in MemberSearch.model_fields}


@router.get("/members")
async def members_page(request: Request, operator: OperatorPage, pages: PagesOf, deps: DepsOf) -> Response:
    values = _query(request)
    search, form = validate(MemberSearch, values, MESSAGES)
    all_levels = await levels.list_levels(deps, include_retired=True)
    if search is None:
        return pages.render(
            request,
            "operator/members.html",
            status=400,
            form=form,
            levels=all_levels,
            rows=[],
            statuses=list(MembershipStatus),
            searched=False,
            section="operator",
        )
    rows = await operators.search(deps, member_filter(search, deps), PAGE_SIZE + 1, (search.page - 1) * PAGE_SIZE)
    filters = {k: v for k, v in values.items() if v and k != "page"}
    more = urlencode(filters | {"page": str(search.page + 1)}) if len(rows) > PAGE_SIZE else None
    return pages.render(
        request,
        "operator/members.html",
        form=form,
        levels=all_levels,
        rows=rows[:PAGE_SIZE],
        searched=bool(filters),
        page=search.page,
        next_query=more,
        csv_query=urlencode(filters),
        statuses=list(MembershipStatus),
        zone=deps.settings.association_timezone,
        section="operator",
    )


@router.get("/members.csv")
async def members_csv(request: Request, operator: OperatorPage, deps: DepsOf) -> Response:
    search, form = validate(MemberSearch, _query(request), MESSAGES)
    if search is None:
        return PlainTextResponse("\n".join(form.errors.values()), status_code=400)
    body = await operators.export_csv(deps, member_filter(search, deps))
    return PlainTextResponse(
        body,
        media_type="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="members-{date.today().isoformat()}.csv"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/members/{member_id}")
async def member_page(
    member_id: UUID,
    request: Request,
    operator: OperatorPage,
    pages: PagesOf,
    deps: DepsOf,
    done: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    found = await operators.history(deps, member_id)
    if found is None:
        raise PageNotFound("member")
    return pages.render(
        request,
        "operator/member.html",
        history=found,
        payment_recorded=done == "payment-recorded",
        zone=deps.settings.association_timezone,
        section="operator",
    )

"""The operators' home: the membership at a glance as charts drawn on the server (members by
status, dues received and new members per month), and the renewals due this month."""

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response

from convene_web.access import OperatorPage
from convene_web.charts import Chart, bar_chart
from convene_web.formatting import money
from convene_web.pages import PagesOf
from membership.entrypoints.http.common import DepsOf
from membership.entrypoints.pages.words import STATUS
from membership.service_layer.dashboard import Dashboard, dashboard

router = APIRouter(prefix="/membership/operator", include_in_schema=False)


def in_currency(currency: str) -> Callable[[float], str]:
    return lambda minor: money(int(minor), currency)


def charts_of(numbers: Dashboard) -> dict[str, Chart]:
    """Each chart under the id the page draws it with (ids name the figures for tests and links)."""
    months = [f"{m:%b %Y}" for m in numbers.months]
    found = {
        "members-by-status": bar_chart(
            "Memberships by status", [(STATUS[status], n) for status, n in numbers.by_status.items()]
        ),
        "new-members": bar_chart("New members per month", list(zip(months, numbers.new_members, strict=True))),
    }
    for currency, amounts in sorted(numbers.dues_received.items()):
        found[f"dues-{currency}"] = bar_chart(
            f"Dues received per month in {currency.upper()}, after refunds",
            list(zip(months, amounts, strict=True)),
            fmt=in_currency(currency),
        )
    return found


@router.get("")
async def dashboard_page(request: Request, operator: OperatorPage, pages: PagesOf, deps: DepsOf) -> Response:
    numbers = await dashboard(deps)
    return pages.render(
        request,
        "operator/dashboard.html",
        numbers=numbers,
        figures=charts_of(numbers),
        this_month=f"{numbers.months[-1]:%B %Y}",
        zone=deps.settings.association_timezone,
        section="operator",
    )

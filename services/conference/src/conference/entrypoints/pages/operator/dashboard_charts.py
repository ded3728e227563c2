"""A conference's dashboard as charts (C12): what it earned and when, how full each ticket type
is, who waits, and how registrations come in. Each is SVG with its numbers as a table too."""

from conference.service_layer.dashboard import Dashboard
from convene_web import charts
from convene_web.formatting import money


def charts_of(numbers: Dashboard) -> list[tuple[str, charts.Chart]]:
    """(id, chart) pairs in the order the dashboard shows them."""
    currency = numbers.conference["currency"]

    def amount(value: float) -> str:
        return money(int(value), currency)

    types = numbers.ticket_types
    names = [t["name"] for t in types]
    return [
        (
            "revenue-by-month",
            charts.bar_chart(
                "Revenue by month",
                [(f"{month:%B %Y}", revenue) for month, revenue in numbers.revenue_by_month],
                fmt=amount,
            ),
        ),
        (
            "revenue-by-ticket-type",
            charts.bar_chart("Revenue by ticket type", [(t["name"], t["revenue_minor"]) for t in types], fmt=amount),
        ),
        (
            "seats",
            charts.stacked_bar_chart(
                "Seats per ticket type",
                names,
                {
                    "Sold": [t["sold"] for t in types],
                    "Held while paying": [t["held"] for t in types],
                    "Kept for the waitlist": [t["offered"] for t in types],
                    "Free": [t["available"] for t in types],
                },
            ),
        ),
        (
            "waitlist",
            charts.stacked_bar_chart(
                "Waitlist per ticket type",
                names,
                {
                    "Waiting": [t["waiting"] for t in types],
                    "Offered a seat": [t["offered"] for t in types],
                },
            ),
        ),
        (
            "registrations-per-day",
            charts.stacked_bar_chart(
                "Registrations per day",
                [f"{d.day.day} {d.day:%B}" for d in numbers.days],
                {
                    "Confirmed": [d.confirmed for d in numbers.days],
                    "Waiting for payment": [d.held for d in numbers.days],
                    "Expired or cancelled": [d.ended for d in numbers.days],
                },
            ),
        ),
    ]

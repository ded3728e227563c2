"""The shared look: landmarks and branding on every page, static files, colours and charts."""

import re

import httpx
import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from convene_service.rate_limits import RateLimits
from convene_web import charts
from convene_web.look import contrast, darkened_until_readable, text_on
from convene_web.pages import SHARED_TEMPLATES

from .conftest import notes_app, web_settings


async def test_every_page_has_the_landmarks_the_association_and_safe_headers(client: httpx.AsyncClient) -> None:
    page = await client.get("/things/notes")
    html = page.text
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<nav" in html
    assert "<footer" in html
    assert "CIT International" in html
    assert "PO Box 1, Memphis TN" in html
    assert '<html lang="en">' in html
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"


async def test_the_stylesheet_script_and_theme_are_served_under_the_prefix(client: httpx.AsyncClient) -> None:
    html = (await client.get("/things/notes")).text
    for name in ("convene.css", "convene.js", "theme.css"):
        [address] = re.findall(rf'"(/things/static/{re.escape(name)}\?v=[0-9a-f]+)"', html)
        served = await client.get(address)
        assert served.status_code == 200
        assert "immutable" in served.headers["cache-control"]
    theme = await client.get("/things/static/theme.css")
    assert theme.headers["content-type"].startswith("text/css")
    assert "--brand: #1d4ed8" in theme.text
    assert (await client.get("/things/static/..%2Fpages.py")).status_code == 404
    assert (await client.get("/things/static/nothing.css")).status_code == 404


async def test_a_logo_is_shown_when_configured(limits: RateLimits) -> None:
    app = notes_app(web_settings(association_logo_url="https://cit.example/logo.png"), limits).app
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://pages.example") as client:
        assert 'src="https://cit.example/logo.png"' in (await client.get("/things/notes")).text


@pytest.mark.parametrize("colour", ["#1d4ed8", "#ffdd00", "#00ff00", "#777777", "#000000", "#ffffff"])
def test_any_association_colour_keeps_text_readable(colour: str) -> None:
    assert contrast(text_on(colour), colour) >= 4.5
    assert contrast(darkened_until_readable(colour), "#ffffff") >= 4.5


def render_chart(chart: charts.Chart) -> str:
    env = Environment(loader=FileSystemLoader(str(SHARED_TEMPLATES)), autoescape=True, undefined=StrictUndefined)
    template = env.from_string('{% from "charts.html" import chart %}{{ chart(c, "c1") }}')
    return template.render(c=chart)


def test_a_bar_chart_labels_every_bar_in_text_and_describes_itself() -> None:
    chart = charts.bar_chart("Members by status", [("Active", 120), ("In grace", 8), ("<b>Lapsed</b>", 0)])
    svg = render_chart(chart)
    assert 'role="img" aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Members by status</title>' in svg
    assert "Active: 120; In grace: 8; &lt;b&gt;Lapsed&lt;/b&gt;: 0" in svg
    assert ">120</text>" in svg
    assert "<b>" not in svg
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths[0] == charts.WIDTH - charts.VALUE_ROOM  # the largest bar fills the room
    assert widths[1] == pytest.approx(widths[0] * 8 / 120, abs=0.1)
    assert widths[2] == 0


def test_stacked_and_grouped_bars_have_a_legend_and_a_table_of_the_numbers() -> None:
    labels, series = ["Full conference", "Workshop"], {"Sold": [80, 10], "Held": [5, 2], "Free": [15, 8]}
    stacked = charts.stacked_bar_chart("Capacity by ticket type", labels, series)
    assert [row.total_text for row in stacked.rows] == ["100", "20"]
    grouped = charts.grouped_bar_chart(
        "Revenue", ["2026-10", "2026-11"], {"USD": [1500, 2500], "CAD": [700, 0]}, fmt=lambda v: f"{v:,.2f}"
    )
    for chart in (stacked, grouped):
        html = render_chart(chart)
        assert 'class="chart-legend"' in html
        assert '<th scope="col">' in html
    assert ">2,500.00</text>" in render_chart(grouped)


def test_an_empty_chart_says_so() -> None:
    assert "No data yet." in render_chart(charts.bar_chart("Nothing", []))

"""Charts drawn on the server as SVG: horizontal bars, stacked or grouped, each labelled in text.

These functions work out the geometry; the `chart` macro in charts.html draws it with a <title>
and <desc>, a legend and the numbers as a table for those who would rather read them. Labels sit
above their bars, so the chart stays legible when a phone shrinks it.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

WIDTH = 480  # viewBox units; the SVG scales to its column
VALUE_ROOM = 96  # right of the longest bar, for its value
LABEL = 18  # height of a label line above a bar
BAR = 18
GAP = 12
# Distinct hues, each at least 3:1 against white (WCAG's non-text contrast).
PALETTE = ("#1f5fbf", "#b45309", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#4d4d4d")

Format = Callable[[float], str]


def whole(value: float) -> str:
    return f"{value:,.0f}"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    colour: str
    series: str
    value: float
    text: str  # the value as people read it, also the bar's tooltip


@dataclass(frozen=True)
class Row:
    label: str
    label_y: float
    bars: tuple[Bar, ...]
    total_text: str  # printed after the row's last bar
    total_x: float
    total_y: float


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    rows: tuple[Row, ...]
    series: tuple[tuple[str, str], ...]  # (name, colour) for the legend; empty for a single series
    height: float
    kind: Literal["bar", "stacked", "grouped"] = "bar"  # grouped bars carry their own value labels
    width: int = WIDTH
    bar_height: int = BAR

    @property
    def table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        """The same numbers as a table: header and one line per row."""
        if not self.series:
            return ("", "Value"), [(row.label, row.total_text) for row in self.rows]
        header = ("", *(name for name, _ in self.series))
        return header, [(row.label, *(bar.text for bar in row.bars)) for row in self.rows]


def _scale(largest: float) -> float:
    return (WIDTH - VALUE_ROOM) / largest if largest > 0 else 0.0


def _describe(rows: Sequence[tuple[str, str]]) -> str:
    return "; ".join(f"{label}: {text}" for label, text in rows) if rows else "No data yet."


def bar_chart(
    title: str, values: Sequence[tuple[str, float]], fmt: Format = whole, description: str | None = None
) -> Chart:
    """One bar per label, e.g. members by status."""
    scale = _scale(max((max(v, 0) for _, v in values), default=0))
    rows, y = [], 0.0
    for label, value in values:
        width = max(value, 0) * scale
        bar = Bar(0, y + LABEL, width, PALETTE[0], "", value, fmt(value))
        rows.append(Row(label, y + LABEL - 5, (bar,), fmt(value), width + 6, y + LABEL + BAR - 5))
        y += LABEL + BAR + GAP
    return Chart(title, description or _describe([(r.label, r.total_text) for r in rows]), tuple(rows), (), y)


def stacked_bar_chart(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    fmt: Format = whole,
    description: str | None = None,
) -> Chart:
    """One bar per label made of one segment per series, e.g. seats sold and held per ticket type."""
    names = list(series)
    totals = [sum(max(series[n][i], 0) for n in names) for i in range(len(labels))]
    scale = _scale(max(totals, default=0))
    rows, y = [], 0.0
    for i, label in enumerate(labels):
        x, bars = 0.0, []
        for k, name in enumerate(names):
            value = series[name][i]
            width = max(value, 0) * scale
            bars.append(Bar(x, y + LABEL, width, PALETTE[k % len(PALETTE)], name, value, fmt(value)))
            x += width
        rows.append(Row(label, y + LABEL - 5, tuple(bars), fmt(totals[i]), x + 6, y + LABEL + BAR - 5))
        y += LABEL + BAR + GAP
    legend = tuple((name, PALETTE[k % len(PALETTE)]) for k, name in enumerate(names))
    summary = [(label, ", ".join(f"{n} {fmt(series[n][i])}" for n in names)) for i, label in enumerate(labels)]
    return Chart(title, description or _describe(summary), tuple(rows), legend, y, "stacked")


def grouped_bar_chart(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    fmt: Format = whole,
    description: str | None = None,
) -> Chart:
    """Under each label one bar per series, e.g. revenue per month in each currency."""
    names = list(series)
    scale = _scale(max((max(v, 0) for n in names for v in series[n]), default=0))
    rows, y = [], 0.0
    for i, label in enumerate(labels):
        bars, top = [], y + LABEL
        for k, name in enumerate(names):
            value = series[name][i]
            bars.append(
                Bar(0, top + k * (BAR + 2), max(value, 0) * scale, PALETTE[k % len(PALETTE)], name, value, fmt(value))
            )
        last = bars[-1] if bars else Bar(0, top, 0, PALETTE[0], "", 0, "")
        rows.append(Row(label, y + LABEL - 5, tuple(bars), "", last.width + 6, last.y + BAR - 5))
        y = top + len(names) * (BAR + 2) + GAP
    legend = tuple((name, PALETTE[k % len(PALETTE)]) for k, name in enumerate(names))
    summary = [(label, ", ".join(f"{n} {fmt(series[n][i])}" for n in names)) for i, label in enumerate(labels)]
    return Chart(title, description or _describe(summary), tuple(rows), legend, y, "grouped")

"""Charts drawn on the server as inline SVG: they print, need no JavaScript and no CDN.

Each function returns safe SVG markup sized by its ``viewBox`` (it scales to the width of
its column, so it stays readable at 640 px). Colours, strokes and fonts come from classes
in ``static/css/dashboard.css`` (the Content-Security-Policy allows no inline style). The
SVG is ``role="img"`` labelled by the figure's caption; the same numbers are in the table
under each chart, which is what screen readers and keyboard users read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 14, 40
MAX_X_LABELS = 8


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]
    css: str  # "series-1", "series-2", ...


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above ``value`` (1 for 0)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power + 1e-9:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _frame(*, labelled_by: str, body: SafeString, y_max: float, unit: str,
           x_labels: Sequence[tuple[float, str]]) -> SafeString:
    plot_h = HEIGHT - TOP - BOTTOM
    ticks = []
    for i in range(5):
        value = y_max * i / 4
        y = TOP + plot_h - plot_h * i / 4
        ticks.append(format_html(
            '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
            '<text class="chart-tick" x="{}" y="{}" text-anchor="end">{}</text>',
            LEFT, WIDTH - RIGHT, f"{y:.1f}", f"{y:.1f}", LEFT - 6, f"{y + 4:.1f}", _number(value),
        ))
    labels = format_html_join(
        "", '<text class="chart-tick" x="{}" y="{}" text-anchor="middle">{}</text>',
        ((f"{x:.1f}", HEIGHT - BOTTOM + 18, text) for x, text in x_labels),
    )
    unit_label = format_html('<text class="chart-unit" x="{}" y="{}">{}</text>', 4, TOP - 2, unit) if unit else ""
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" focusable="false">'
        "{}{}{}{}"
        '<line class="chart-axis" x1="{}" x2="{}" y1="{}" y2="{}"/></svg>',
        WIDTH, HEIGHT, labelled_by, mark_safe("".join(ticks)), unit_label, labels, body,
        LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM, HEIGHT - BOTTOM,
    )


def _x_labels(categories: Sequence[str], centres: Sequence[float]) -> list[tuple[float, str]]:
    step = max(1, math.ceil(len(categories) / MAX_X_LABELS))
    return [(centres[i], categories[i]) for i in range(0, len(categories), step)]


def _scale(series: Sequence[Series], *, stacked: bool = False) -> float:
    if stacked:
        totals = [sum(v or 0 for v in column) for column in zip(*(s.values for s in series), strict=True)]
        return nice_ceiling(max(totals, default=0))
    return nice_ceiling(max((v for s in series for v in s.values if v is not None), default=0))


def bar_chart(*, labelled_by: str, categories: Sequence[str], series: Sequence[Series],
              unit: str = "", stacked: bool = False) -> SafeString:
    """Vertical bars per category: side by side, or stacked."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    y_max = _scale(series, stacked=stacked)
    slot = plot_w / max(1, len(categories))
    group = slot * 0.8
    bar_w = group if stacked else group / max(1, len(series))
    parts, centres = [], []
    for i, category in enumerate(categories):
        x0 = LEFT + slot * i + (slot - group) / 2
        centres.append(LEFT + slot * i + slot / 2)
        base = 0.0
        for k, s in enumerate(series):
            value = s.values[i] or 0
            height = plot_h * value / y_max
            x = x0 if stacked else x0 + bar_w * k
            y = TOP + plot_h - height - (plot_h * base / y_max if stacked else 0)
            if stacked:
                base += value
            parts.append(format_html(
                '<rect class="chart-bar {}" x="{}" y="{}" width="{}" height="{}">'
                "<title>{}, {}: {}</title></rect>",
                s.css, f"{x:.1f}", f"{y:.1f}", f"{max(bar_w - 1, 1):.1f}", f"{height:.1f}",
                category, s.label, _number(value),
            ))
    return _frame(labelled_by=labelled_by, body=mark_safe("".join(parts)), y_max=y_max, unit=unit,
                  x_labels=_x_labels(categories, centres))


def line_chart(*, labelled_by: str, categories: Sequence[str], series: Sequence[Series],
               unit: str = "") -> SafeString:
    """Lines over categories (weeks); a missing value (a week with nothing) breaks the line."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    y_max = _scale(series)
    slot = plot_w / max(1, len(categories))
    centres = [LEFT + slot * i + slot / 2 for i in range(len(categories))]
    parts = []
    for s in series:
        run: list[str] = []
        runs = [run]
        for i, value in enumerate(s.values):
            if value is None:
                run = []
                runs.append(run)
                continue
            x, y = centres[i], TOP + plot_h - plot_h * value / y_max
            run.append(f"{x:.1f},{y:.1f}")
            parts.append(format_html(
                '<circle class="chart-point {}" cx="{}" cy="{}" r="3"><title>{}, {}: {}</title></circle>',
                s.css, f"{x:.1f}", f"{y:.1f}", categories[i], s.label, _number(value),
            ))
        for points in runs:
            if len(points) > 1:
                parts.append(format_html('<polyline class="chart-line {}" points="{}"/>', s.css, " ".join(points)))
    return _frame(labelled_by=labelled_by, body=mark_safe("".join(parts)), y_max=y_max, unit=unit,
                  x_labels=_x_labels(categories, centres))


def hbar_chart(*, labelled_by: str, rows: Sequence[tuple[str, float | None]], css: str = "series-1",
               unit: str = "", x_max: float | None = None,
               intervals: Sequence[tuple[float, float] | None] | None = None,
               markers: Sequence[float | None] | None = None) -> SafeString:
    """One horizontal bar per labelled row (a distribution, a backlog band, a person), with an
    optional interval drawn as a whisker and a marker (e.g. the offline figure) on each."""
    label_w, row_h = 150, 26
    height = TOP + row_h * max(1, len(rows)) + 24
    plot_w = WIDTH - label_w - RIGHT - 40
    x_max = x_max or nice_ceiling(max((v or 0 for _, v in rows), default=0))
    parts = []
    for i, (label, value) in enumerate(rows):
        y = TOP + row_h * i
        mid = y + row_h / 2
        width = plot_w * (value or 0) / x_max
        text_x = label_w + width + 6
        parts.append(format_html(
            '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
            '<rect class="chart-bar {}" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
            label_w - 8, f"{mid + 4:.1f}", label, css, label_w, f"{y + 3:.1f}", f"{width:.1f}",
            row_h - 6, label, "—" if value is None else _number(value),
        ))
        if intervals and intervals[i]:
            low, high = (label_w + plot_w * v / x_max for v in intervals[i])
            text_x = max(text_x, high + 6)
            parts.append(format_html(
                '<line class="chart-whisker" x1="{}" x2="{}" y1="{}" y2="{}"/>',
                f"{low:.1f}", f"{high:.1f}", f"{mid:.1f}", f"{mid:.1f}",
            ))
        if markers and markers[i] is not None:
            x = label_w + plot_w * markers[i] / x_max
            text_x = max(text_x, x + 6)
            parts.append(format_html(
                '<line class="chart-marker" x1="{}" x2="{}" y1="{}" y2="{}"/>',
                f"{x:.1f}", f"{x:.1f}", f"{y + 1:.1f}", f"{y + row_h - 1:.1f}",
            ))
        parts.append(format_html('<text class="chart-value" x="{}" y="{}">{}</text>',
                                 f"{text_x:.1f}", f"{mid + 4:.1f}", "—" if value is None else _number(value)))
    unit_label = format_html('<text class="chart-unit" x="{}" y="{}">{}</text>', label_w, height - 6, unit) if unit else ""
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" focusable="false">{}{}'
        '<line class="chart-axis" x1="{}" x2="{}" y1="{}" y2="{}"/></svg>',
        WIDTH, height, labelled_by, mark_safe("".join(parts)), unit_label,
        label_w, label_w, TOP - 2, TOP + row_h * max(1, len(rows)),
    )

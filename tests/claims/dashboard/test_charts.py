"""The SVG charts: geometry from the numbers, escaped labels, gaps for empty weeks."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from claims.dashboard import charts
from claims.dashboard.charts import Series

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(markup.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def test_nice_ceilings():
    assert [charts.nice_ceiling(v) for v in (0, 0.3, 1, 7, 11, 24, 86.4, 336)] == [1, 0.5, 1, 10, 20, 25, 100, 500]


def test_bars_are_as_tall_as_their_values():
    svg = _parse(charts.bar_chart(labelled_by="t", categories=["a", "b"],
                                  series=[Series("Logged", [10, 5], "series-1")]))
    bars = svg.findall(f"{SVG}rect")
    heights = [float(b.get("height")) for b in bars]
    assert heights[0] == 2 * heights[1] > 0
    assert bars[0].find(f"{SVG}title").text == "a, Logged: 10"
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "t"
    assert "style" not in charts.bar_chart(labelled_by="t", categories=["a"], series=[Series("x", [1], "s")])


def test_stacked_bars_sit_on_each_other():
    svg = _parse(charts.bar_chart(labelled_by="t", categories=["a"], stacked=True,
                                  series=[Series("one", [2], "series-1"), Series("two", [3], "series-2")]))
    lower, upper = svg.findall(f"{SVG}rect")
    assert float(upper.get("y")) + float(upper.get("height")) == float(lower.get("y"))


def test_a_line_breaks_over_an_empty_week():
    svg = _parse(charts.line_chart(labelled_by="t", categories=["w1", "w2", "w3", "w4", "w5"],
                                   series=[Series("Median", [1, 2, None, 4, 5], "series-1")]))
    lines = svg.findall(f"{SVG}polyline")
    assert [len(line.get("points").split()) for line in lines] == [2, 2]
    assert len(svg.findall(f"{SVG}circle")) == 4


def test_labels_are_escaped_and_long_series_thin_their_axis_labels():
    markup = charts.hbar_chart(labelled_by="t", rows=[("<script>", 3)])
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    weeks = [f"w{n}" for n in range(52)]
    line = charts.line_chart(labelled_by="t", categories=weeks, series=[Series("m", [1] * 52, "series-1")])
    axis_labels = re.findall(r'<text class="chart-tick" x="[\d.]+" y="[\d.]+" text-anchor="middle">', line)
    assert len(axis_labels) <= charts.MAX_X_LABELS

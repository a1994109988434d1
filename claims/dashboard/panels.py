"""The dashboard's panels: each one chart, the table of the same numbers, and its CSV.

A panel is built from one query (``claims.dashboard.queries``); the page shows its chart and
its table, the CSV download writes the table's rows, so the three can never disagree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.safestring import SafeString

from claims.dashboard import charts, queries
from claims.dashboard.charts import Series
from claims.exports.serializers import UTF8_BOM, neutralise_cell


@dataclass
class Panel:
    key: str  # also the CSV's file name
    title: str
    note: str  # what is counted, in the desk's words
    columns: Sequence[str]
    rows: list[list]  # cells: str, int, float or None (no value)
    chart: SafeString | None = None
    legend: list[Series] = field(default_factory=list)

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}"

    def display_rows(self) -> list[list[str]]:
        return [["—" if cell is None else _display(cell) for cell in row] for row in self.rows]

    def csv_text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(["" if cell is None else neutralise_cell(_csv_value(cell)) for cell in row])
        return UTF8_BOM + buffer.getvalue()


def _display(cell) -> str:
    if isinstance(cell, date):
        return cell.strftime("%-d %b %Y")
    if isinstance(cell, float):
        return f"{cell:.1f}" if abs(cell) >= 1 or cell == 0 else f"{cell:.3f}".rstrip("0")
    return str(cell)


def _csv_value(cell):
    return cell.isoformat() if isinstance(cell, date) else cell


def _week_label(week: date) -> str:
    return week.strftime("%-d %b")


def _percent(share: float | None) -> str | None:
    return None if share is None else f"{share * 100:.0f}%"


# --------------------------------------------------------------------------- panels


def time_to_verdict(period: queries.Period) -> Panel:
    weeks = queries.time_to_verdict_weekly(period)
    series = [Series("Median", [w.median_hours for w in weeks], "series-1"),
              Series("90th percentile", [w.p90_hours for w in weeks], "series-2")]
    panel = Panel(
        key="time-to-verdict", title="Time to verdict",
        note="From logging a claim to publishing its verdict, by the week it was published (hours).",
        columns=["Week starting", "Published", "Median hours", "90th percentile hours"],
        rows=[[w.week, w.count, w.median_hours, w.p90_hours] for w in weeks],
        legend=series,
    )
    panel.chart = charts.line_chart(labelled_by=f"{panel.chart_id}-title",
                                    categories=[_week_label(w.week) for w in weeks],
                                    series=series, unit="hours")
    return panel


def verdict_distribution(period: queries.Period) -> Panel:
    bands = queries.time_to_verdict_distribution(period)
    panel = Panel(
        key="time-to-verdict-distribution", title="How long verdicts took",
        note="Claims published in the period, by time from logging to publication.",
        columns=["Time to verdict", "Claims"], rows=[[label, n] for label, n in bands],
    )
    panel.chart = charts.hbar_chart(labelled_by=f"{panel.chart_id}-title", rows=bands, unit="claims")
    return panel


def review_turnaround(period: queries.Period) -> Panel:
    weeks = queries.review_turnaround_weekly(period)
    series = [Series("Median", [w.median_hours for w in weeks], "series-1"),
              Series("90th percentile", [w.p90_hours for w in weeks], "series-2")]
    panel = Panel(
        key="review-turnaround", title="Review turnaround",
        note="From submitting a verdict for review to the review (approved or changes requested), "
             "by the week of the review (hours).",
        columns=["Week starting", "Approved", "Changes requested", "Median hours", "90th percentile hours"],
        rows=[[w.week, w.approved, w.changes_requested, w.median_hours, w.p90_hours] for w in weeks],
        legend=series,
    )
    panel.chart = charts.line_chart(labelled_by=f"{panel.chart_id}-title",
                                    categories=[_week_label(w.week) for w in weeks],
                                    series=series, unit="hours")
    return panel


def backlog(backlog: queries.Backlog) -> Panel:
    by_status = backlog.by_status()
    series = [Series(band, [cells[i] for _, cells, _ in by_status], f"series-{i + 1}")
              for i, band in enumerate(backlog.bands)]
    panel = Panel(
        key="backlog", title="Backlog",
        note=f"Open claims now ({backlog.total}), by status and by age since they were logged.",
        columns=["Status", *backlog.bands, "Total"],
        rows=[[label, *cells, total] for label, cells, total in by_status],
        legend=series,
    )
    panel.chart = charts.bar_chart(labelled_by=f"{panel.chart_id}-title",
                                   categories=[label for label, _, _ in by_status],
                                   series=series, unit="claims", stacked=True)
    return panel


def throughput(period: queries.Period) -> Panel:
    weeks = queries.throughput_weekly(period)
    series = [Series("Logged", [w.logged for w in weeks], "series-1"),
              Series("Published", [w.published for w in weeks], "series-2"),
              Series("Rejected", [w.rejected for w in weeks], "series-3")]
    panel = Panel(
        key="throughput", title="Throughput",
        note="Claims logged, published and rejected each week.",
        columns=["Week starting", "Logged", "Published", "Rejected"],
        rows=[[w.week, w.logged, w.published, w.rejected] for w in weeks],
        legend=series,
    )
    panel.chart = charts.bar_chart(labelled_by=f"{panel.chart_id}-title",
                                   categories=[_week_label(w.week) for w in weeks],
                                   series=series, unit="claims")
    return panel


def throughput_people(period: queries.Period) -> Panel:
    people = queries.throughput_by_person(period)
    series = [Series("Claims logged", [p.logged for p in people], "series-1"),
              Series("Verdicts approved", [p.verdicts_approved for p in people], "series-2"),
              Series("Reviews done", [p.reviews_approved + p.reviews_changes for p in people], "series-3")]
    panel = Panel(
        key="throughput-people", title="Per editor and reviewer",
        note="In the period: claims each person logged, their verdicts a reviewer approved, and "
             "the reviews they did, with their median review turnaround.",
        columns=["Person", "Claims logged", "Verdicts approved", "Reviews: approved",
                 "Reviews: changes requested", "Median review hours", "Share of desk actions"],
        rows=[[p.username, p.logged, p.verdicts_approved, p.reviews_approved, p.reviews_changes,
               p.review_median_hours, _percent(p.share)] for p in people],
        legend=series,
    )
    panel.chart = charts.bar_chart(labelled_by=f"{panel.chart_id}-title",
                                   categories=[p.username for p in people], series=series,
                                   unit="count", stacked=True)
    return panel


def coverage(period: queries.Period) -> Panel:
    weeks, summary = queries.coverage_figures(period)
    series = [Series("Accepted", [w.accepted for w in weeks], "series-2"),
              Series("Dismissed", [w.dismissed for w in weeks], "series-3"),
              Series("Not yet decided", [w.suggested - w.accepted - w.dismissed for w in weeks], "series-4")]
    per_claim = "no suggestions" if not summary.claims else (
        f"{summary.per_claim_mean:g} suggestions per claim on average (median {summary.per_claim_median:g}) "
        f"for {summary.claims} claims")
    panel = Panel(
        key="coverage", title="Coverage suggestions",
        note=f"Suggestions the matcher made each week and what the desk decided. In the period: "
             f"{per_claim}; {_percent(summary.share_accepted) or 'none'} of decided suggestions "
             f"accepted; an article's publication to its suggestion took "
             f"{_hours(summary.median_hours_to_suggestion)} (median), "
             f"{_hours(summary.p90_hours_to_suggestion)} (90th percentile).",
        columns=["Week starting", "Suggested", "Accepted", "Dismissed", "Share accepted",
                 "Median hours from publication"],
        rows=[[w.week, w.suggested, w.accepted, w.dismissed, _percent(w.share_accepted),
               w.median_hours_to_suggestion] for w in weeks],
        legend=series,
    )
    panel.chart = charts.bar_chart(labelled_by=f"{panel.chart_id}-title",
                                   categories=[_week_label(w.week) for w in weeks],
                                   series=series, unit="suggestions", stacked=True)
    return panel


def _precision_panel(key: str, title: str, note: str, group: str, rows) -> Panel:
    def pct(value):
        return None if value is None else round(100 * value, 1)

    panel = Panel(
        key=key, title=title, note=note,
        columns=[group, "Decided", "Right", "Live precision %", "95% interval low %",
                 "95% interval high %", "Offline precision %", "Offline pairs"],
        rows=[[r.group, r.decided, r.right, pct(r.precision),
               pct(r.interval[0]) if r.interval else None, pct(r.interval[1]) if r.interval else None,
               pct(r.offline), r.offline_pairs] for r in rows],
        legend=[Series("Live precision (line: 95% interval)", [], "series-1"),
                Series("Offline precision", [], "marker")],
    )
    panel.chart = charts.hbar_chart(
        labelled_by=f"{panel.chart_id}-title", rows=[(r.group, pct(r.precision)) for r in rows],
        unit="precision %", x_max=100,
        intervals=[tuple(100 * v for v in r.interval) if r.interval else None for r in rows],
        markers=[pct(r.offline) for r in rows],
    )
    return panel


PRECISION_NOTE = (
    "A suggestion is right when the desk accepted it and its stance stood; dismissed, or "
    "accepted with the stance corrected by a reviewer, it is wrong. Decided in the period. "
    "Offline: the model's held-out test figures{}, which leave out irrelevant articles, so "
    "live precision is expected to be lower."
)


def _live(period: queries.Period, live):
    from claims.monitoring.precision import live_precision

    return live if live is not None else live_precision(since=period.start)


def model_precision_stance(period: queries.Period, live=None) -> Panel:
    live = _live(period, live)
    overall = live.overall
    summary = ("no decisions yet" if not overall.decided else
               f"{overall.right} of {overall.decided} right overall")
    return _precision_panel(
        "model-precision-stance", "Coverage model: precision by stance",
        PRECISION_NOTE.format(" (English test sets)") + f" In the period: {summary}.",
        "Predicted stance", live.by_stance)


def model_precision_language(period: queries.Period, live=None) -> Panel:
    return _precision_panel(
        "model-precision-language", "Coverage model: precision by language",
        PRECISION_NOTE.format(" (the multilingual practice set, a few pairs per language)"),
        "Article language", _live(period, live).by_language)


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:g} h"


#: Every panel with a CSV, by key: the CSV view builds just the one asked for.
PERIOD_PANELS: dict[str, Callable[[queries.Period], Panel]] = {
    "time-to-verdict": time_to_verdict,
    "time-to-verdict-distribution": verdict_distribution,
    "review-turnaround": review_turnaround,
    "throughput": throughput,
    "throughput-people": throughput_people,
    "coverage": coverage,
    "model-precision-stance": model_precision_stance,
    "model-precision-language": model_precision_language,
}


def panel_for(key: str, period: queries.Period) -> Panel | None:
    if key == "backlog":
        return backlog(queries.backlog())
    if key in PERIOD_PANELS:
        return PERIOD_PANELS[key](period)
    return None


def all_panels(period: queries.Period) -> list[Panel]:
    from claims.monitoring.precision import live_precision

    live = live_precision(since=period.start)  # one query serves both precision panels
    return [time_to_verdict(period), verdict_distribution(period), review_turnaround(period),
            backlog(queries.backlog()), throughput(period), throughput_people(period), coverage(period),
            model_precision_stance(period, live), model_precision_language(period, live)]

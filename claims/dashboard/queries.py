"""The desk's figures, computed by PostgreSQL: one query per chart, no Python loops over rows.

Weeks start on Monday in the desk's time zone (``TIME_ZONE``). Every weekly series has one
row per week of the period, empty weeks included (``generate_series`` joined on the left),
so a quiet week shows as zero, or as no median, never as a missing bar. Durations are hours.

Definitions (the dashboard's notes say the same to the desk):

* time to verdict: the claim logged (``created_at``) to first published (``published_at``),
  counted in the week it was published;
* review turnaround: a verdict version submitted to its review (approved or changes
  requested), counted in the week of the review;
* backlog: open claims now (new, triaged, researching, in review), by status and by age
  since logged;
* throughput: claims logged, published and rejected per week; per person, claims logged,
  verdicts of theirs approved, reviews done;
* coverage: suggestions made, accepted and dismissed per week, the share accepted of those
  decided, and the article's publication to the suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.utils import timezone

from claims.models import OPEN_STATUSES, Claim

PERIOD_WEEKS = (4, 12, 26, 52)
DEFAULT_WEEKS = 12

#: Upper bounds (hours) of the time-to-verdict distribution's bands, and their names.
VERDICT_BANDS_HOURS = (24, 48, 96, 168, 336, 672)
VERDICT_BAND_LABELS = ("under 1 day", "1–2 days", "2–4 days", "4–7 days", "1–2 weeks",
                       "2–4 weeks", "4 weeks or more")
#: Upper bounds (days) of the backlog's age bands, and their names.
BACKLOG_BANDS_DAYS = (2, 7, 14, 28)
BACKLOG_BAND_LABELS = ("under 2 days", "2–7 days", "1–2 weeks", "2–4 weeks", "4 weeks or more")


@dataclass(frozen=True)
class Period:
    """``weeks`` whole weeks ending with the current one: [start, end)."""

    weeks: int
    first_week: date  # Monday of the first week
    start: datetime
    end: datetime

    @classmethod
    def ending(cls, *, weeks: int, now: datetime | None = None) -> Period:
        local = timezone.localtime(now or timezone.now())
        monday = local.date() - timedelta(days=local.weekday())
        first = monday - timedelta(weeks=weeks - 1)
        zone = local.tzinfo
        start = datetime(first.year, first.month, first.day, tzinfo=zone)
        after = monday + timedelta(weeks=1)
        end = datetime(after.year, after.month, after.day, tzinfo=zone)
        return cls(weeks=weeks, first_week=first, start=start, end=end)

    @property
    def last_week(self) -> date:
        return self.first_week + timedelta(weeks=self.weeks - 1)

    def week_bounds(self) -> list[datetime]:
        """The start of each week and the end of the last: ``weeks + 1`` local midnights."""
        zone = self.start.tzinfo
        mondays = (self.first_week + timedelta(weeks=n) for n in range(self.weeks + 1))
        return [datetime(d.year, d.month, d.day, tzinfo=zone) for d in mondays]

    def params(self) -> dict:
        return {"first": self.first_week, "start": self.start,
                "end": self.end, "weeks": self.weeks, "bounds": self.week_bounds()}


def period_weeks(value) -> int:
    """The period asked for in a query string, or the default for anything else."""
    try:
        weeks = int(value)
    except (TypeError, ValueError):
        return DEFAULT_WEEKS
    return weeks if weeks in PERIOD_WEEKS else DEFAULT_WEEKS


# The week of the period a timestamp falls in, as its number (1 = the first week): a binary
# search among the weeks' starts, local midnights computed once per query (so a week across a
# change of clocks is still Monday to Monday), instead of a time-zone conversion per row.
_WEEK = "width_bucket({col}, %(bounds)s::timestamptz[])"
# Every week of the period, by number and by its Monday.
_WEEKS = ("weeks AS (SELECT n AS bucket, %(first)s::date + (n - 1) * 7 AS week"
          " FROM generate_series(1, %(weeks)s) AS n)")
_HOURS = "EXTRACT(EPOCH FROM ({later} - {earlier})) / 3600.0"


def _rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _round(value, places: int = 1):
    return None if value is None else round(float(value), places)


# --------------------------------------------------------------------------- time to verdict


@dataclass(frozen=True)
class WeeklyDuration:
    week: date
    count: int
    median_hours: float | None
    p90_hours: float | None


def time_to_verdict_weekly(period: Period) -> list[WeeklyDuration]:
    sql = f"""
        WITH {_WEEKS},
        done AS (
            SELECT {_WEEK.format(col="c.published_at")} AS bucket,
                   {_HOURS.format(later="c.published_at", earlier="c.created_at")} AS hours
            FROM claims_claim c
            WHERE c.published_at >= %(start)s AND c.published_at < %(end)s
        )
        SELECT w.week, count(d.hours),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY d.hours),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY d.hours)
        FROM weeks w LEFT JOIN done d ON d.bucket = w.bucket
        GROUP BY w.bucket, w.week ORDER BY w.bucket
    """
    return [WeeklyDuration(week, count, _round(median), _round(p90))
            for week, count, median, p90 in _rows(sql, period.params())]


def time_to_verdict_distribution(period: Period) -> list[tuple[str, int]]:
    """How many claims published in the period took how long, in ``VERDICT_BAND_LABELS``."""
    sql = f"""
        SELECT width_bucket({_HOURS.format(later="c.published_at", earlier="c.created_at")},
                            %(bands)s::float8[]) AS band, count(*)
        FROM claims_claim c
        WHERE c.published_at >= %(start)s AND c.published_at < %(end)s
        GROUP BY band
    """
    counts = dict(_rows(sql, {**period.params(), "bands": list(VERDICT_BANDS_HOURS)}))
    return [(label, counts.get(band, 0)) for band, label in enumerate(VERDICT_BAND_LABELS)]


# --------------------------------------------------------------------------- review turnaround


@dataclass(frozen=True)
class WeeklyReviews:
    week: date
    approved: int
    changes_requested: int
    median_hours: float | None
    p90_hours: float | None


def review_turnaround_weekly(period: Period) -> list[WeeklyReviews]:
    sql = f"""
        WITH {_WEEKS},
        reviewed AS (
            SELECT {_WEEK.format(col="r.at")} AS bucket, r.decision,
                   {_HOURS.format(later="r.at", earlier="v.submitted_at")} AS hours
            FROM claims_review r JOIN claims_verdictversion v ON v.id = r.version_id
            WHERE r.at >= %(start)s AND r.at < %(end)s AND v.submitted_at IS NOT NULL
        )
        SELECT w.week,
               count(r.hours) FILTER (WHERE r.decision = 'approve'),
               count(r.hours) FILTER (WHERE r.decision = 'request_changes'),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY r.hours),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY r.hours)
        FROM weeks w LEFT JOIN reviewed r ON r.bucket = w.bucket
        GROUP BY w.bucket, w.week ORDER BY w.bucket
    """
    return [WeeklyReviews(week, approved, changes, _round(median), _round(p90))
            for week, approved, changes, median, p90 in _rows(sql, period.params())]


# --------------------------------------------------------------------------- backlog


@dataclass(frozen=True)
class Backlog:
    statuses: list[tuple[str, str]]  # (value, label) of the open statuses, in workflow order
    bands: tuple[str, ...]
    counts: dict[tuple[str, int], int]  # (status, band index) -> open claims

    def by_status(self) -> list[tuple[str, list[int], int]]:
        rows = []
        for value, label in self.statuses:
            cells = [self.counts.get((value, band), 0) for band in range(len(self.bands))]
            rows.append((label, cells, sum(cells)))
        return rows

    def by_band(self) -> list[tuple[str, int]]:
        return [(label, sum(n for (_, b), n in self.counts.items() if b == band))
                for band, label in enumerate(self.bands)]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def backlog(*, now: datetime | None = None) -> Backlog:
    sql = """
        SELECT c.status,
               width_bucket(EXTRACT(EPOCH FROM (%(now)s - c.created_at)) / 86400.0,
                            %(bands)s::float8[]) AS band,
               count(*)
        FROM claims_claim c
        WHERE c.status = ANY(%(open)s)
        GROUP BY c.status, band
    """
    rows = _rows(sql, {"now": now or timezone.now(), "bands": list(BACKLOG_BANDS_DAYS),
                       "open": [str(s) for s in OPEN_STATUSES]})
    return Backlog(
        statuses=[(str(s.value), str(s.label)) for s in OPEN_STATUSES],
        bands=BACKLOG_BAND_LABELS,
        counts={(status, band): count for status, band, count in rows},
    )


def backlog_oldest(limit: int = 10) -> list[Claim]:
    return list(Claim.objects.filter(status__in=OPEN_STATUSES).select_related("assignee")
                .only("pk", "text", "status", "created_at", "assignee__username")
                .order_by("created_at", "pk")[:limit])


# --------------------------------------------------------------------------- throughput


@dataclass(frozen=True)
class WeeklyThroughput:
    week: date
    logged: int
    published: int
    rejected: int


def throughput_weekly(period: Period) -> list[WeeklyThroughput]:
    sql = f"""
        WITH {_WEEKS},
        logged AS (
            SELECT {_WEEK.format(col="created_at")} AS bucket, count(*) AS n FROM claims_claim
            WHERE created_at >= %(start)s AND created_at < %(end)s GROUP BY 1
        ),
        published AS (
            SELECT {_WEEK.format(col="published_at")} AS bucket, count(*) AS n FROM claims_claim
            WHERE published_at >= %(start)s AND published_at < %(end)s GROUP BY 1
        ),
        rejected AS (  -- a claim rejected, reopened and rejected again counts in each week
            SELECT {_WEEK.format(col="at")} AS bucket, count(DISTINCT claim_id) AS n
            FROM claims_activityevent
            WHERE verb = 'rejected' AND at >= %(start)s AND at < %(end)s GROUP BY 1
        )
        SELECT w.week, coalesce(l.n, 0), coalesce(p.n, 0), coalesce(r.n, 0)
        FROM weeks w
        LEFT JOIN logged l ON l.bucket = w.bucket
        LEFT JOIN published p ON p.bucket = w.bucket
        LEFT JOIN rejected r ON r.bucket = w.bucket
        ORDER BY w.week
    """
    return [WeeklyThroughput(*row) for row in _rows(sql, period.params())]


@dataclass(frozen=True)
class PersonThroughput:
    username: str
    logged: int
    verdicts_approved: int  # their verdicts a reviewer approved
    reviews_approved: int  # reviews they did
    reviews_changes: int
    review_median_hours: float | None
    share: float  # of the period's desk actions (logged + verdicts + reviews), 0-1


def throughput_by_person(period: Period) -> list[PersonThroughput]:
    from django.contrib.auth import get_user_model

    users = connection.ops.quote_name(get_user_model()._meta.db_table)
    sql = f"""
        WITH logged AS (
            SELECT created_by_id AS user_id, count(*) AS n FROM claims_claim
            WHERE created_at >= %(start)s AND created_at < %(end)s GROUP BY 1
        ),
        reviews AS MATERIALIZED (
            SELECT r.reviewer_id, v.author_id, r.decision,
                   {_HOURS.format(later="r.at", earlier="v.submitted_at")} AS hours
            FROM claims_review r JOIN claims_verdictversion v ON v.id = r.version_id
            WHERE r.at >= %(start)s AND r.at < %(end)s
        ),
        authored AS (
            SELECT author_id AS user_id, count(*) AS n FROM reviews WHERE decision = 'approve' GROUP BY 1
        ),
        reviewed AS (
            SELECT reviewer_id AS user_id,
                   count(*) FILTER (WHERE decision = 'approve') AS approved,
                   count(*) FILTER (WHERE decision = 'request_changes') AS changes,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) AS median
            FROM reviews GROUP BY 1
        ),
        people AS (
            SELECT u.username, coalesce(l.n, 0) AS logged, coalesce(a.n, 0) AS authored,
                   coalesce(rv.approved, 0) AS approved, coalesce(rv.changes, 0) AS changes,
                   rv.median
            FROM {users} u
            LEFT JOIN logged l ON l.user_id = u.id
            LEFT JOIN authored a ON a.user_id = u.id
            LEFT JOIN reviewed rv ON rv.user_id = u.id
            WHERE l.n IS NOT NULL OR a.n IS NOT NULL OR rv.user_id IS NOT NULL
        )
        SELECT username, logged, authored, approved, changes, median,
               (logged + authored + approved + changes)::float8
                   / nullif(sum(logged + authored + approved + changes) OVER (), 0)
        FROM people
        ORDER BY logged + authored + approved + changes DESC, username
    """
    return [PersonThroughput(name, logged, authored, approved, changes, _round(median),
                             round(share or 0.0, 3))
            for name, logged, authored, approved, changes, median, share
            in _rows(sql, period.params())]


# --------------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class WeeklyCoverage:
    week: date
    suggested: int
    accepted: int
    dismissed: int
    share_accepted: float | None  # accepted / decided, of the week's suggestions
    median_hours_to_suggestion: float | None


@dataclass(frozen=True)
class CoverageSummary:
    claims: int  # claims with at least one suggestion made in the period
    suggestions: int
    per_claim_mean: float | None
    per_claim_median: float | None
    share_accepted: float | None
    median_hours_to_suggestion: float | None
    p90_hours_to_suggestion: float | None


def coverage_figures(period: Period) -> tuple[list[WeeklyCoverage], CoverageSummary]:
    """The weekly rows and the period's summary from one pass over the suggestions: the
    grouping set ``()`` is the summary row, the per-claim figures come from the same rows."""
    sql = f"""
        WITH {_WEEKS},
        made AS MATERIALIZED (
            SELECT {_WEEK.format(col="s.created_at")} AS bucket, s.claim_id, s.status,
                   CASE WHEN d.published_at <= s.created_at THEN
                       {_HOURS.format(later="s.created_at", earlier="d.published_at")} END AS hours
            FROM claims_coveragesuggestion s JOIN sources_document d ON d.id = s.document_id
            WHERE s.created_at >= %(start)s AND s.created_at < %(end)s
        ),
        per_claim AS (SELECT count(*) AS n FROM made GROUP BY claim_id),
        per_period AS (
            SELECT count(*) AS claims, avg(n) AS mean,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY n) AS median
            FROM per_claim
        )
        SELECT GROUPING(w.week) AS whole_period, w.week, count(m.status),
               count(*) FILTER (WHERE m.status = 'accepted'),
               count(*) FILTER (WHERE m.status = 'dismissed'),
               count(*) FILTER (WHERE m.status = 'accepted')::float8
                   / nullif(count(*) FILTER (WHERE m.status IN ('accepted', 'dismissed')), 0),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY m.hours),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY m.hours),
               (SELECT claims FROM per_period), (SELECT mean FROM per_period),
               (SELECT median FROM per_period)
        FROM weeks w LEFT JOIN made m ON m.bucket = w.bucket
        GROUP BY GROUPING SETS ((w.week), ())
        ORDER BY whole_period, w.week
    """
    weeks, summary = [], None
    for whole, week, n, accepted, dismissed, share, hours50, hours90, claims, mean, median in _rows(sql, period.params()):
        if whole:
            summary = CoverageSummary(claims, n, _round(mean, 2), _round(median, 2), _round(share, 3),
                                      _round(hours50), _round(hours90))
        else:
            weeks.append(WeeklyCoverage(week, n, accepted, dismissed, _round(share, 3), _round(hours50)))
    return weeks, summary


def coverage_weekly(period: Period) -> list[WeeklyCoverage]:
    return coverage_figures(period)[0]


def coverage_summary(period: Period) -> CoverageSummary:
    return coverage_figures(period)[1]

"""The dashboard's figures against a history computed by hand (see history.py)."""

from __future__ import annotations

from datetime import date

import pytest

from claims.dashboard import queries
from tests.claims.dashboard import history
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

WEEKS = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]


@pytest.fixture
def period(editor, editor2, reviewer):
    history.build(erin=editor, eddie=editor2, rita=reviewer)
    return queries.Period.ending(weeks=4, now=history.NOW)


def test_the_period_is_whole_weeks_ending_with_this_one():
    period = queries.Period.ending(weeks=4, now=history.NOW)
    assert period.first_week == WEEKS[0] and period.last_week == WEEKS[-1]
    assert period.start == history.at("11-02") and period.end == history.at("11-30")
    assert queries.period_weeks("26") == 26
    assert queries.period_weeks("7") == queries.period_weeks("x") == queries.DEFAULT_WEEKS


def test_time_to_verdict_by_week_with_empty_weeks(period):
    rows = queries.time_to_verdict_weekly(period)
    assert [(r.week, r.count, r.median_hours, r.p90_hours) for r in rows] == [
        (WEEKS[0], 3, 48.0, 86.4),  # 12, 48 and 96 hours: p90 = 48 + 0.8 x 48
        (WEEKS[1], 0, None, None),
        (WEEKS[2], 0, None, None),
        (WEEKS[3], 1, 336.0, 336.0),
    ]


def test_time_to_verdict_distribution(period):
    assert queries.time_to_verdict_distribution(period) == [
        ("under 1 day", 1), ("1–2 days", 0), ("2–4 days", 1), ("4–7 days", 1),
        ("1–2 weeks", 0), ("2–4 weeks", 1), ("4 weeks or more", 0),
    ]


def test_review_turnaround_by_week(period):
    rows = queries.review_turnaround_weekly(period)
    assert [(r.week, r.approved, r.changes_requested, r.median_hours, r.p90_hours) for r in rows] == [
        (WEEKS[0], 1, 1, 9.0, 11.4),  # 6 and 12 hours
        (WEEKS[1], 0, 0, None, None),
        (WEEKS[2], 0, 0, None, None),
        (WEEKS[3], 1, 0, 24.0, 24.0),
    ]


def test_backlog_by_status_and_age_band_and_the_oldest(period):
    backlog = queries.backlog(now=history.NOW)
    assert backlog.total == 4
    assert backlog.by_status() == [
        ("New", [1, 0, 0, 0, 0], 1),
        ("Triaged", [0, 0, 1, 0, 0], 1),
        ("Researching", [0, 0, 0, 1, 0], 1),
        ("In review", [0, 0, 0, 0, 1], 1),
    ]
    assert backlog.by_band() == [("under 2 days", 1), ("2–7 days", 0), ("1–2 weeks", 1),
                                 ("2–4 weeks", 1), ("4 weeks or more", 1)]
    assert [c.text for c in queries.backlog_oldest()] == ["Claim I", "Claim H", "Claim J", "Claim F"]


def test_throughput_by_week(period):
    rows = queries.throughput_weekly(period)
    assert [(r.week, r.logged, r.published, r.rejected) for r in rows] == [
        (WEEKS[0], 2, 3, 0),
        (WEEKS[1], 3, 0, 1),  # G rejected twice in the week is one claim
        (WEEKS[2], 0, 0, 0),
        (WEEKS[3], 1, 1, 0),
    ]


def test_throughput_per_editor_and_reviewer(period):
    rows = queries.throughput_by_person(period)
    assert [(p.username, p.logged, p.verdicts_approved, p.reviews_approved, p.reviews_changes,
             p.review_median_hours, p.share) for p in rows] == [
        ("erin", 4, 1, 0, 0, None, round(5 / 11, 3)),
        ("eddie", 2, 1, 0, 0, None, round(3 / 11, 3)),
        ("rita", 0, 0, 2, 1, 12.0, round(3 / 11, 3)),
    ]


def test_coverage_by_week_and_over_the_period(period):
    rows = queries.coverage_weekly(period)
    assert [(r.week, r.suggested, r.accepted, r.dismissed, r.share_accepted, r.median_hours_to_suggestion)
            for r in rows] == [
        (WEEKS[0], 3, 1, 1, 0.5, 26.0),  # 4 and 48 hours; the undated article is left out
        (WEEKS[1], 0, 0, 0, None, None),
        (WEEKS[2], 0, 0, 0, None, None),
        (WEEKS[3], 1, 1, 0, 1.0, None),  # article dated after its suggestion: no delay
    ]
    summary = queries.coverage_summary(period)
    assert summary == queries.CoverageSummary(
        claims=2, suggestions=4, per_claim_mean=2.0, per_claim_median=2.0, share_accepted=0.667,
        median_hours_to_suggestion=26.0, p90_hours_to_suggestion=43.6,
    )


def test_an_empty_desk_has_every_week_and_no_figures(db):
    period = queries.Period.ending(weeks=4, now=history.NOW)
    assert [r.count for r in queries.time_to_verdict_weekly(period)] == [0, 0, 0, 0]
    assert [r.week for r in queries.throughput_weekly(period)] == WEEKS
    assert queries.throughput_by_person(period) == []
    assert queries.coverage_summary(period).claims == 0
    assert queries.backlog(now=history.NOW).total == 0


def test_weeks_run_monday_to_monday_in_the_desks_zone_across_a_change_of_clocks(editor, settings):
    """London's clocks went back on Sunday 25 October 2026: the week of 19 October is 169
    hours long. A claim logged at 00:30 on a Monday, local time, counts in that Monday's week
    on both sides of the change, though one of those midnights is 23:00 UTC the day before."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from claims.models import Claim

    settings.TIME_ZONE = "Europe/London"
    london = ZoneInfo("Europe/London")
    logged = {
        "Week 19 Oct, first half hour": datetime(2026, 10, 19, 0, 30, tzinfo=london),  # 18 Oct 23:30 UTC
        "Week 19 Oct, last half hour": datetime(2026, 10, 25, 23, 30, tzinfo=london),
        "Week 26 Oct, first half hour": datetime(2026, 10, 26, 0, 30, tzinfo=london),
    }
    for text, at in logged.items():
        claim = make_claim(editor, text=text)
        Claim.objects.filter(pk=claim.pk).update(created_at=at)
    period = queries.Period.ending(weeks=3, now=datetime(2026, 11, 4, 12, 0, tzinfo=london))

    assert period.week_bounds()[0] == datetime(2026, 10, 19, 0, 0, tzinfo=london)
    assert [(r.week, r.logged) for r in queries.throughput_weekly(period)] == [
        (date(2026, 10, 19), 2), (date(2026, 10, 26), 1), (date(2026, 11, 2), 0),
    ]

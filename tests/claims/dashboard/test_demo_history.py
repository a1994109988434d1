"""The demo newsroom's desk history gives the dashboard weeks of shape, once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from claims.dashboard import queries
from claims.dashboard.demo_history import CLAIMS, TAG
from claims.models import Claim

pytestmark = pytest.mark.django_db


def test_seed_demo_with_history_fills_past_weeks_once(settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    settings.DEMO_PASSWORD = "demo history password"
    call_command("seed_demo", history=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", history=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Claim.objects.filter(tags__name=TAG).count() == CLAIMS

    period = queries.Period.ending(weeks=12)
    weeks = queries.throughput_weekly(period)
    assert sum(w.logged > 0 for w in weeks) >= 8  # spread over the weeks, not all today
    assert sum(w.published for w in weeks) >= 15
    verdicts = [w for w in queries.time_to_verdict_weekly(period) if w.count]
    assert verdicts and all(w.median_hours > 1 for w in verdicts)
    reviews = queries.review_turnaround_weekly(period)
    assert sum(w.changes_requested for w in reviews) >= 1

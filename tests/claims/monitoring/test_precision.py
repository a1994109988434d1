"""Live precision per stance and language, with Wilson intervals, beside the offline figures."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from claims.monitoring import precision
from tests.claims.monitoring import labels

pytestmark = pytest.mark.django_db


@pytest.fixture
def offline(tmp_path, settings):
    path = tmp_path / "stance_model.json"
    path.write_text(json.dumps({"test": {
        "emergent": {"confusion": [[8, 1, 1, 0], [2, 4, 0, 0], [0, 1, 6, 0], [0, 0, 0, 0]]},
        "practice_by_language": {"fr": {"confusion": [[1, 0, 0, 0], [0, 1, 1, 0], [0, 0, 0, 0], [0, 0, 0, 1]]}},
    }}))
    settings.STANCE_MODEL_METADATA = str(path)
    return path


def test_wilson_intervals_match_published_values():
    low, high = precision.wilson_interval(1, 3)
    assert (round(low, 4), round(high, 4)) == (0.0615, 0.7923)
    low, high = precision.wilson_interval(2, 2)
    assert (round(low, 4), high) == (0.3424, 1.0)
    assert precision.wilson_interval(0, 0) is None


def test_live_precision_by_stance_and_language(editor, offline):
    labels.build(editor)
    live = precision.live_precision(since=timezone.now() - timedelta(days=90))
    assert (live.overall.decided, live.overall.right) == (5, 3)
    assert [(p.group, p.decided, p.right, p.offline, p.offline_pairs) for p in live.by_stance] == [
        ("Supports", 3, 1, 0.8, 10),
        ("Denies", 2, 2, 4 / 6, 6),
        ("Discusses", 0, 0, 6 / 7, 7),
    ]
    assert live.by_stance[0].precision == pytest.approx(1 / 3)
    assert live.by_stance[2].precision is None and live.by_stance[2].interval is None
    assert [(p.group, p.decided, p.right, p.offline) for p in live.by_language] == [
        ("en", 2, 1, None), ("fr", 2, 1, 2 / 3), ("unknown", 1, 1, None),
    ]


def test_a_missing_metadata_file_leaves_the_offline_figures_out(editor, settings, tmp_path):
    settings.STANCE_MODEL_METADATA = str(tmp_path / "none.json")
    labels.build(editor)
    live = precision.live_precision(since=timezone.now() - timedelta(days=90))
    assert all(p.offline is None for p in live.by_stance)


def test_the_shipped_model_metadata_gives_offline_figures_per_stance_and_language(settings):
    figures = precision.offline_figures()
    assert set(figures["stance"]) == {"supports", "denies", "discusses"}
    assert all(0 < value <= 1 and pairs > 0 for value, pairs in figures["stance"].values())
    assert figures["language"]

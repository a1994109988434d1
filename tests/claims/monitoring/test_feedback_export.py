"""coverage_feedback_export writes the labelled pairs as formula-safe CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from tests.claims.monitoring import labels

pytestmark = pytest.mark.django_db


def _export(**options) -> list[dict]:
    out, err = io.StringIO(), io.StringIO()
    call_command("coverage_feedback_export", stdout=out, stderr=err, **options)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_it_writes_every_decided_pair_with_the_stance_that_stands(editor):
    claim = labels.build(editor)
    rows = _export()
    assert [r["document_url"] for r in rows] == [f"https://news.example/{n}" for n in (6, 1, 2, 3, 4, 5)]
    by_url = {r["document_url"]: r for r in rows}
    first = by_url["https://news.example/1"]
    assert (first["claim_id"], first["claim_text"], first["decision"], first["predicted_stance"],
            first["corrected_stance"], first["label"], first["confidence"]) == (
        str(claim.pk), "Russia asked China for aid", "accepted", "supports", "", "supports", "0.7")
    assert (by_url["https://news.example/3"]["corrected_stance"], by_url["https://news.example/3"]["label"]) == (
        "denies", "denies")
    assert by_url["https://news.example/2"]["label"] == "unrelated"
    assert "https://news.example/7" not in by_url  # still undecided: no label yet


def test_formula_cells_are_neutralised(editor):
    labels.build(editor)
    row = next(r for r in _export() if r["document_url"] == "https://news.example/5")
    assert row["document_title"] == "'=cmd|' /C calc'!A0"


def test_since_and_output_file(editor, tmp_path):
    labels.build(editor)
    target = tmp_path / "feedback.csv"
    call_command("coverage_feedback_export", output=str(target), since="2000-01-01",
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert len(list(csv.DictReader(target.open()))) == 6
    from django.utils import timezone

    today = timezone.now().date().isoformat()
    assert len(_export(since=today)) == 0  # every label here is at least a day old


def test_bad_input_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="--since must be a date"):
        call_command("coverage_feedback_export", since="last week")
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("coverage_feedback_export", output=str(tmp_path / "missing" / "x.csv"))

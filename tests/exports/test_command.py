import csv
import io
import json
import tracemalloc
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.models import Claim
from tests.exports.builders import bulk_claims, claim_with_record
from tests.factories import make_claim, walk_claim_to

pytestmark = pytest.mark.django_db


def export(*args) -> str:
    out = io.StringIO()
    call_command("claims_export", *args, stdout=out)
    return out.getvalue()


class CountingSink(io.TextIOBase):
    """Counts what the command writes without keeping it, so only the command's own
    memory shows up in tracemalloc."""

    def __init__(self):
        self.characters = 0

    def write(self, text):
        self.characters += len(text)
        return len(text)


def test_it_exports_csv_without_a_bom(editor):
    claim = make_claim(editor, text="=1+1", claimant="@someone")
    output = export("--format", "csv")
    assert not output.startswith("\ufeff")
    (row,) = list(csv.DictReader(io.StringIO(output)))
    assert row["id"] == str(claim.pk)
    assert row["text"] == "'=1+1"
    assert row["claimant"] == "'@someone"


def test_it_exports_json_with_evidence_verdict_and_coverage(editor, reviewer):
    from claims.models import CoverageSuggestion
    from sources.models import Document

    claim = claim_with_record(editor, reviewer)
    document = Document.objects.create(canonical_url="https://wire.example/b", title="Wire B")
    CoverageSuggestion.objects.create(claim=claim, document=document, relevance=0.55,
                                      stance="supports", stance_confidence=0.9, status="accepted")
    (exported,) = json.loads(export("--format", "json"))
    assert exported["id"] == claim.pk
    assert exported["tags"] == ["china", "ukraine"]
    assert exported["verdict"] == {
        "version": 2, "state": "approved", "rating": "False", "rating_value": 1,
        "headline": "No evidence Russia asked China for arms", "published_at": None,
    }
    first = exported["evidence"][0]
    assert set(first) >= {"stance", "speaker", "quote", "source_url", "outlet", "snapshot_sha256"}
    assert len(first["snapshot_sha256"]) == 64
    assert exported["coverage_suggestions"][0]["document_title"] == "Wire B"
    assert exported["coverage_suggestions"][0]["status"] == "accepted"


def test_it_filters_by_status(editor):
    make_claim(editor, text="Still new")
    walk_claim_to(make_claim(editor, text="Being researched"), "researching", actor=editor)
    walk_claim_to(make_claim(editor, text="Triaged one"), "triaged", actor=editor)
    texts = [c["text"] for c in json.loads(export("--format", "json", "--status", "researching",
                                                   "triaged"))]
    assert sorted(texts) == ["Being researched", "Triaged one"]


def test_it_filters_by_since(editor):
    old = make_claim(editor, text="Old claim")
    make_claim(editor, text="Fresh claim")
    Claim.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=10))
    since = (timezone.localdate() - timedelta(days=2)).isoformat()
    texts = [c["text"] for c in json.loads(export("--format", "json", "--since", since))]
    assert texts == ["Fresh claim"]


def test_it_exports_one_claim(editor):
    make_claim(editor, text="Not this one")
    wanted = make_claim(editor, text="This one")
    rows = list(csv.DictReader(io.StringIO(export("--format", "csv", "--claim", str(wanted.pk)))))
    assert [r["text"] for r in rows] == ["This one"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--since", "last tuesday"], "is not a date"),
        (["--since", "2025-02-30"], "is not a date"),
        (["--status", "pending"], "Unknown status 'pending'"),
        (["--claim", "999999"], "There is no claim 999999"),
    ],
)
def test_it_refuses_bad_input_clearly(editor, args, message):
    with pytest.raises(CommandError, match=message):
        export("--format", "json", *args)


def test_it_exits_non_zero_on_bad_input(capsys):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "claims_export", "--format", "xml"]).execute()
    assert exit_info.value.code != 0
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_it_exports_claimreview_for_published_claims_or_says_what_is_missing(editor, reviewer):
    try:
        from claims.reviewing.claimreview import claimreview_for  # noqa: F401
    except ImportError:
        with pytest.raises(CommandError, match="needs claims.reviewing.claimreview"):
            export("--format", "claimreview")
        return
    claim = claim_with_record(editor, reviewer)
    assert json.loads(export("--format", "claimreview", "--claim", str(claim.pk))) == []


def _peak_while_exporting(*args) -> int:
    tracemalloc.start()
    try:
        call_command("claims_export", *args, stdout=CountingSink())
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_its_memory_stays_flat_as_the_export_grows(editor):
    bulk_claims(editor, 600)
    small = _peak_while_exporting("--format", "json")
    bulk_claims(editor, 2400)
    large = _peak_while_exporting("--format", "json")
    assert large < small * 1.8, (small, large)

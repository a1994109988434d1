import re
from io import StringIO

import pytest
from django.core.management import call_command

from claims.models import Claim, CoverageSuggestion
from sources.models import Document

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_coverage_bench_prints_its_figures_and_removes_its_batch():
    out = StringIO()
    call_command("coverage_bench", documents=40, claims=30, batch_size=20, runs=1, stdout=out)
    text = out.getvalue()
    match = re.search(r"median of 1 runs: ([\d.]+) documents/second with 30 open claims; "
                      r"p50 (\d+) ms, p95 (\d+) ms per batch", text)
    assert match, text
    assert float(match.group(1)) > 0
    # The English path's synthetic articles are read as English, as real ones would be.
    assert "100% detected as English" in text
    assert re.search(r"embedding path, median of 1 runs: [\d.]+ documents/second per worker core",
                     text), text
    assert not Claim.objects.exists()
    assert not Document.objects.exists()
    assert not CoverageSuggestion.objects.exists()

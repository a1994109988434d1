import re
from io import StringIO

import pytest
from django.core.management import call_command

from claims.models import Claim, Evidence

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_desk_bench_prints_p50_and_p95_per_page_and_removes_its_batch():
    out = StringIO()
    call_command("desk_bench", claims=300, runs=3, profile=True, stdout=out)
    text = out.getvalue()
    assert re.search(r"page\s+p50 ms\s+p95 ms", text), text
    figures = re.findall(r"^(queue, unfiltered|queue, status \+ assignee|queue, full-text search|"
                         r"claim page, 200 evidence)\s+([\d.]+)\s+([\d.]+)$", text, flags=re.M)
    assert len(figures) == 4, text
    assert all(0 < float(p50) <= float(p95) for _, p50, p95 in figures)
    # --profile: per page, the SQL count and time, template time and the rest, then the
    # statements that cost most (the queue's own SELECT among them).
    breakdown = re.findall(r"^  (.+?): (\d+) SQL statements ([\d.]+) ms · templates ([\d.]+) ms · "
                           r"Python (-?[\d.]+) ms \(of ([\d.]+) ms\)$", text, flags=re.M)
    assert [label for label, *_ in breakdown][:4] == [label for label, *_ in figures], text
    assert all(int(count) > 0 and float(sql) > 0 and float(total) > 0 for _, count, sql, _, _, total in breakdown)
    assert re.search(r'^\s+[\d.]+ ms  SELECT .*"claims_claim"', text, flags=re.M), text
    assert not Claim.objects.exists()
    assert not Evidence.objects.exists()

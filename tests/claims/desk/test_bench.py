import re
from io import StringIO

import pytest
from django.core.management import call_command

from claims.models import Claim, Evidence

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_desk_bench_prints_p50_and_p95_per_page_and_removes_its_batch():
    out = StringIO()
    call_command("desk_bench", claims=300, runs=3, stdout=out)
    text = out.getvalue()
    assert re.search(r"page\s+p50 ms\s+p95 ms", text), text
    figures = re.findall(r"^(queue, unfiltered|queue, status \+ assignee|queue, full-text search|"
                         r"claim page, 200 evidence)\s+([\d.]+)\s+([\d.]+)$", text, flags=re.M)
    assert len(figures) == 4, text
    assert all(0 < float(p50) <= float(p95) for _, p50, p95 in figures)
    assert not Claim.objects.exists()
    assert not Evidence.objects.exists()

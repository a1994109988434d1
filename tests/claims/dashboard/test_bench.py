import re
from io import StringIO

import pytest
from django.core.management import call_command

from claims.models import Claim, CoverageSuggestion, Review
from sources.models import Document

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_dashboard_bench_seeds_a_year_prints_its_figures_and_removes_its_batch():
    out = StringIO()
    call_command("dashboard_bench", claims=400, runs=2, stdout=out)
    text = out.getvalue()
    assert "Seeded 400 claims over 365 days" in text
    figures = re.findall(r"^(dashboard, 12 weeks|dashboard, 52 weeks|one chart's CSV, 52 weeks)"
                         r"\s+([\d.]+)\s+([\d.]+)$", text, flags=re.M)
    assert len(figures) == 3, text
    assert all(0 < float(p50) <= float(p95) for _, p50, p95 in figures)
    assert not Claim.objects.exists() and not Review.objects.exists()
    assert not Document.objects.exists() and not CoverageSuggestion.objects.exists()

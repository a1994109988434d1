import re
from io import StringIO

import pytest
from django.core.management import call_command

from claims.models import Claim, CoverageSuggestion
from sources.models import Document

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_coverage_bench_prints_its_figures_and_removes_its_batch():
    out = StringIO()
    call_command("coverage_bench", documents=40, claims=30, batch_size=20, runs=1, naive_claims=5,
                 stdout=out)
    text = out.getvalue()
    match = re.search(r"median of 1 runs: ([\d.]+) documents/second with 30 open claims; "
                      r"p50 (\d+) ms, p95 (\d+) ms per batch", text)
    assert match, text
    assert float(match.group(1)) > 0
    # The English path's synthetic articles are read as English, as real ones would be.
    assert "100% detected as English" in text
    assert re.search(r"embedding path, median of 1 runs: [\d.]+ documents/second per worker core",
                     text), text
    assert re.search(r"run 1: English path .* [\d.]+ s of this process's CPU", text), text
    # The naive per-claim loop is measured in the same run, on documents of its own.
    loop = re.search(r"naive per-claim loop, median of 1 runs: ([\d.]+) documents/second; the "
                     r"batched pass is ([\d.]+)x faster", text)
    assert loop, text
    assert float(loop.group(1)) > 0
    assert re.search(r"\(5 of 30 claims timed, the rest extrapolated\)", text), text
    assert re.search(r"peak resident memory of this process: \d+ MB", text), text
    assert not Claim.objects.exists()
    assert not Document.objects.exists()
    assert not CoverageSuggestion.objects.exists()


def test_coverage_bench_times_full_text_search_over_a_bulk_seeded_store_and_removes_it():
    out = StringIO()
    call_command("coverage_bench", documents=0, search_documents=300, search_queries=12, stdout=out)
    text = out.getvalue()
    assert "Seeding 300 stored documents in bulk (0 already there)" in text, text
    assert re.search(r"full-text search over 300 stored documents \(\d+ of 12 queries match", text), text
    for kind in ("newest first, page 1", "most relevant", r"a claim's candidates \(gather coverage\)"):
        assert re.search(kind + r": p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms over 12 searches", text), text
    assert "Removed 300 stored bench documents." in text
    assert not Document.objects.exists()


def test_the_seeded_store_reads_as_news_text_with_zipf_word_frequencies():
    from claims.corroboration.training.search_bench import SearchBench, word_of_rank

    bench = SearchBench(documents=200)
    bench.seed()
    try:
        words = " ".join(Document.objects.values_list("text", flat=True)).split()
        commonest = max(set(words), key=words.count)
        # Rank 1 is drawn about as often as ranks 2-3 together, far more than a rare word.
        assert commonest in {word_of_rank(1), word_of_rank(2)}
        assert words.count(word_of_rank(1)) > 20 * max(1, words.count(word_of_rank(5000)))
        assert Document.objects.filter(search_vector__isnull=True).count() == 0
    finally:
        bench.remove()

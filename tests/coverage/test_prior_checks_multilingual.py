"""Prior fact-checks in other languages: with their reviewed claims embedded, a German or
Russian fact-check matches a claim typed in English (and the claim page shows it)."""

from __future__ import annotations

import pytest

from claims.corroboration import index_cache, intake, prior_checks
from claims.corroboration.embedding import prior_factchecks_embed
from sources.factchecks.demo import seed_demo_factchecks
from sources.models import PriorFactCheck
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

ENGLISH = "Russia asked China for military aid for its war in Ukraine."


@pytest.fixture(autouse=True)
def fresh_indexes():
    index_cache.forget_indexes()
    prior_checks._cache = None
    intake.query_vector.cache_clear()
    yield
    index_cache.forget_indexes()
    prior_checks._cache = None


@pytest.fixture
def checks():
    from claims.reviewing.ratings import ensure_default_scale

    ensure_default_scale()
    seed_demo_factchecks()
    russian = PriorFactCheck.objects.create(
        url="https://proverka.example/rossiya-kitay-pomoshch", fingerprint="r" * 64,
        publisher="Proverka (demo)", claim_reviewed="Россия попросила Китай о военной помощи.",
        textual_rating="Не подтверждено", normalised_rating="Unproven", language="ru", origin="feed")
    german = PriorFactCheck.objects.get(language="de")
    return german, russian


def test_a_german_and_a_russian_fact_check_match_an_english_claim_once_embedded(checks):
    german, russian = checks
    before = prior_checks.prior_factchecks_matching(text=ENGLISH)
    assert german not in before and russian not in before  # no shared words: lexical cannot

    embedded = prior_factchecks_embed(ids=PriorFactCheck.objects.values_list("pk", flat=True))
    assert len(embedded) == 4 and prior_factchecks_embed(ids=embedded) == []  # once each
    found = prior_checks.prior_factchecks_matching(text=ENGLISH)

    assert german in found and russian in found
    assert all(0.5 <= check.similarity <= 1 for check in found)
    unrelated = prior_checks.prior_factchecks_matching(text="The city council cut the library budget by half.")
    assert unrelated == []


def test_the_claim_page_shows_the_russian_fact_check_of_an_english_claim(editor_client, editor, checks):
    _german, russian = checks
    prior_factchecks_embed(ids=PriorFactCheck.objects.values_list("pk", flat=True))
    claim = make_claim(editor, text=ENGLISH)
    html = editor_client.get(f"/claims/{claim.pk}/checked-elsewhere/", HTTP_HX_REQUEST="true").content.decode()
    assert "Proverka (demo)" in html and "“Не подтверждено”" in html
    assert f'value="{russian.pk}"' in html  # it can be cited

import pytest
from django.contrib.postgres.search import SearchQuery

from claims.corroboration import index_cache, intake
from claims.corroboration.embedding import claims_embed
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index():
    index_cache.forget_indexes()
    yield
    index_cache.forget_indexes()


def test_a_claim_logged_in_russian_finds_the_english_claim_through_embeddings(editor):
    english = make_claim(editor, text="Russia asked China for military aid for its war in Ukraine.")
    other = make_claim(editor, text="The city council cut the library budget by half.")
    claims_embed(claim_ids=[english.pk, other.pk])  # what the embedding queue does

    hits = intake.find_similar_claims(text="Россия попросила Китай о военной помощи для войны на Украине")

    assert [claim for claim, _ in hits] == [english]
    assert 0.5 <= hits[0][1] <= 1


def test_a_claim_logged_in_chinese_finds_the_english_claim_too(editor):
    english = make_claim(editor, text="Russia asked China for military aid for its war in Ukraine.")
    claims_embed(claim_ids=[english.pk])

    hits = intake.find_similar_claims(text="俄罗斯请求中国为其在乌克兰的战争提供军事援助")

    assert [claim for claim, _ in hits] == [english]


def test_the_embedding_worker_records_the_claims_language_and_reindexes_it(editor):
    from claims.models import Claim

    claim = make_claim(editor, text="Кремль отрицает, что просил Китай о военной помощи.")
    claims_embed(claim_ids=[claim.pk])

    claim.refresh_from_db()
    assert claim.language == "ru" and claim.embedding is not None
    # Read with Russian stemming now: another form of the same word finds it.
    assert Claim.objects.filter(pk=claim.pk,
                                search_vector=SearchQuery("помощью", config="russian")).exists()


def test_it_finds_a_claim_worded_differently(editor):
    original = make_claim(editor, text="Russia asked China for military assistance in Ukraine.")
    make_claim(editor, text="The city council cut the library budget by half.")

    hits = intake.find_similar_claims(text="Russia has asked China for military assistance")

    assert [claim for claim, _ in hits] == [original]
    assert 0.5 <= hits[0][1] <= 1


def test_it_excludes_the_claim_itself_and_rejected_claims(editor):
    from claims import services

    claim = make_claim(editor, text="Russia asked China for military assistance in Ukraine.")
    rejected = make_claim(editor, text="Russia asked China for military assistance in Ukraine!")
    services.claim_reject(actor=editor, claim_id=rejected.pk, reason="Duplicate wording")

    assert intake.find_similar_claims(text=claim.text, exclude_id=claim.pk) == []


def test_it_sees_a_new_claim_without_a_restart(editor):
    make_claim(editor, text="The city council cut the library budget by half.")
    assert intake.find_similar_claims(text="Russia asked China for military assistance") == []

    new = make_claim(editor, text="Russia asked China for military assistance.")

    assert [c for c, _ in intake.find_similar_claims(text="Russia asked China for military aid and assistance")] == [new]


def test_it_starts_no_thread_to_rebuild_the_index(editor, monkeypatch):
    import threading

    for i in range(index_cache.DELTA_REBUILD_AT // 100 + 2):
        make_claim(editor, text=f"Claim number {i} about a city budget and a library.")
    intake.find_similar_claims(text="city budget and library claims")
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda self: started.append(self))
    monkeypatch.setattr(index_cache, "DELTA_REBUILD_AT", 1)
    for i in range(3):
        make_claim(editor, text=f"Another claim {i} about the mayor's holiday.")

    assert intake.find_similar_claims(text="Another claim about the mayor's holiday")
    assert started == []


def test_short_input_returns_nothing_without_building_the_index(editor, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert intake.find_similar_claims(text="Russia") == []


def test_it_drops_a_claim_rejected_after_the_index_was_built(editor):
    from claims import services

    claim = make_claim(editor, text="Russia asked China for military assistance in Ukraine.")
    assert intake.find_similar_claims(text="Russia asked China for military assistance")

    services.claim_reject(actor=editor, claim_id=claim.pk, reason="Not check-worthy")

    assert intake.find_similar_claims(text="Russia asked China for military assistance") == []

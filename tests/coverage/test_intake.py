import pytest

from claims.corroboration import intake
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_index():
    intake.forget_similar_claim_index()
    yield
    intake.forget_similar_claim_index()


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


def test_short_input_returns_nothing_without_building_the_index(editor, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert intake.find_similar_claims(text="Russia") == []


def test_it_drops_a_claim_rejected_after_the_index_was_built(editor):
    from claims import services

    claim = make_claim(editor, text="Russia asked China for military assistance in Ukraine.")
    assert intake.find_similar_claims(text="Russia asked China for military assistance")

    services.claim_reject(actor=editor, claim_id=claim.pk, reason="Not check-worthy")

    assert intake.find_similar_claims(text="Russia asked China for military assistance") == []

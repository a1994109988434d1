import pytest

from claims.corroboration import matching
from claims.models import CoverageSuggestion
from tests.coverage.helpers import (
    DENYING_STORY,
    MILITARY_AID_CLAIM,
    SUPPORTING_STORY,
    UNRELATED_STORY,
    make_document,
)
from tests.factories import make_claim, walk_claim_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def military_aid_claim(editor):
    return make_claim(editor, text=MILITARY_AID_CLAIM, claimant="U.S. officials")


def test_it_suggests_supporting_and_denying_coverage_for_an_open_claim(military_aid_claim):
    supporting = make_document(**SUPPORTING_STORY)
    denying = make_document(**DENYING_STORY)
    unrelated = make_document(**UNRELATED_STORY)

    created = matching.documents_match(document_ids=[supporting.pk, denying.pk, unrelated.pk])

    stances = dict(
        CoverageSuggestion.objects.filter(claim=military_aid_claim).values_list("document_id", "stance")
    )
    assert stances == {supporting.pk: "supports", denying.pk: "denies"}
    assert created == 2
    suggestion = CoverageSuggestion.objects.get(document=supporting)
    assert 0 < suggestion.stance_confidence <= 1
    assert suggestion.relevance >= matching.RELEVANCE_THRESHOLD


def test_it_adds_nothing_when_run_twice_on_the_same_documents(military_aid_claim):
    ids = [make_document(**SUPPORTING_STORY).pk, make_document(**DENYING_STORY).pk]
    matching.documents_match(document_ids=ids)
    before = list(CoverageSuggestion.objects.values_list("pk", "stance", "relevance"))

    assert matching.documents_match(document_ids=ids) == 0

    assert list(CoverageSuggestion.objects.values_list("pk", "stance", "relevance")) == before


def test_it_never_suggests_a_dismissed_document_again(military_aid_claim, editor):
    from claims.corroboration.services import suggestion_dismiss

    document = make_document(**SUPPORTING_STORY)
    matching.documents_match(document_ids=[document.pk])
    suggestion = CoverageSuggestion.objects.get(claim=military_aid_claim, document=document)
    suggestion_dismiss(actor=editor, suggestion_id=suggestion.pk)

    matching.documents_match(document_ids=[document.pk])
    matching.claim_match_documents(claim=military_aid_claim, document_ids=[document.pk])

    assert list(CoverageSuggestion.objects.values_list("status", flat=True)) == ["dismissed"]


def test_it_only_matches_open_claims(editor):
    from claims import services

    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    services.claim_reject(actor=editor, claim_id=claim.pk, reason="Not check-worthy")
    document = make_document(**SUPPORTING_STORY)

    assert matching.documents_match(document_ids=[document.pk]) == 0


def test_it_matches_claims_in_every_open_status(editor):
    claim = walk_claim_to(make_claim(editor, text=MILITARY_AID_CLAIM), "in_review", actor=editor)
    document = make_document(**SUPPORTING_STORY)

    matching.documents_match(document_ids=[document.pk])

    assert CoverageSuggestion.objects.filter(claim=claim, document=document).exists()


def test_it_fills_in_a_missing_search_vector_before_matching(military_aid_claim):
    from sources.models import Document

    document = make_document(**SUPPORTING_STORY)
    Document.objects.filter(pk=document.pk).update(search_vector=None)

    matching.documents_match(document_ids=[document.pk])

    assert Document.objects.filter(pk=document.pk, search_vector__isnull=False).exists()
    assert CoverageSuggestion.objects.filter(document=document).exists()


def test_or_query_keeps_only_plain_words_so_no_tsquery_syntax_gets_through():
    assert matching.or_query("Russia's aid & (China) | !drones:*") == "russia | aid | china | drones"


def test_lexical_candidates_score_every_claim_of_a_document_set_as_relevance_does(editor):
    from claims.corroboration.index_cache import open_claim_index

    aid = make_claim(editor, text=MILITARY_AID_CLAIM, claimant="U.S. officials")
    drones = make_claim(editor, text="China sent drones to Russia.", claimant="A blogger")
    make_claim(editor, text="Paris banned cars from the city centre.", claimant="A mayor")
    supporting = make_document(**SUPPORTING_STORY)
    unrelated = make_document(**UNRELATED_STORY)
    index = open_claim_index()
    docs = {d["id"]: d for d in matching._load_documents([supporting.pk, unrelated.pk])}

    found = matching.lexical_candidates(list(docs.values()), index, threshold=0.0)

    # Every claim sharing a word with a document, scored exactly as the pair-wise relevance.
    pairs = list(found)
    expected = matching.relevance_scores(pairs, {}, docs, index)
    assert [round(found[p], 5) for p in pairs] == [round(float(s), 5) for s in expected]
    assert {(aid.pk, supporting.pk), (drones.pk, supporting.pk)} <= set(found)
    assert found[(aid.pk, supporting.pk)] > found[(drones.pk, supporting.pk)]
    # Best first per document, the threshold applied, at most `per_document` per document.
    assert pairs.index((aid.pk, supporting.pk)) < pairs.index((drones.pk, supporting.pk))
    kept = matching.lexical_candidates(list(docs.values()), index)
    assert (aid.pk, supporting.pk) in kept
    assert all(score >= matching.RELEVANCE_THRESHOLD for score in kept.values())
    assert not any(d == unrelated.pk for _, d in kept)
    one = matching.lexical_candidates(list(docs.values()), index, threshold=0.0, per_document=1)
    assert list(one)[:1] == [(aid.pk, supporting.pk)]
    assert sum(1 for _, d in one if d == supporting.pk) == 1

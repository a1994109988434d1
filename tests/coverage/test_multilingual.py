"""Coverage in every language: language detection at storage, per-language full-text search,
the semantic pass (embeddings, pgvector), cross-lingual stance, badges and highlights."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.urls import reverse

from claims.corroboration import matching
from claims.corroboration.core.text import normalize
from claims.corroboration.embedding import claims_embed, documents_embed
from claims.models import CoverageSuggestion
from sources.connectors import FeedItem
from sources.documents import documents_upsert
from sources.models import Document
from tests.coverage.helpers import make_document
from tests.factories import OutletFactory, make_claim

pytestmark = pytest.mark.django_db

CLAIM = "Russia asked China for military aid for its war in Ukraine."
CHINESE_DENIAL = {
    "title": "外交部：有关俄罗斯请求中国提供军事援助的报道是虚假信息",
    "summary": "中国外交部发言人表示，有关俄罗斯请求中国提供军事援助的报道是美方散布的虚假信息。",
}
RUSSIAN_DENIAL = {
    "title": "Кремль опроверг сообщения о просьбе России к Китаю о военной помощи",
    "summary": "Пресс-секретарь Кремля назвал ложью сообщения о том, что Россия просила Китай о "
               "военной помощи для операции на Украине.",
}
OFF_TOPIC_CHINESE = {
    "title": "北京冬奥会闭幕式在国家体育场举行",
    "summary": "北京冬奥会闭幕式周日晚在国家体育场举行，运动员们参加了告别仪式。",
}


@pytest.fixture
def claim(editor):
    claim = make_claim(editor, text=CLAIM)
    claims_embed(claim_ids=[claim.pk])  # what the embedding queue does after intake
    claim.refresh_from_db()
    return claim


def _semantic_pass(*documents):
    ids = documents_embed(document_ids=[d.pk for d in documents])
    return matching.documents_match_semantic(document_ids=ids)


def test_the_article_store_detects_each_items_language_and_indexes_it_in_that_language():
    result = documents_upsert(items=[
        FeedItem(url="https://ria.example/1", title=RUSSIAN_DENIAL["title"],
                 summary=RUSSIAN_DENIAL["summary"], language="en"),  # the feed says English
        FeedItem(url="https://xinhua.example/1", title=CHINESE_DENIAL["title"],
                 summary=CHINESE_DENIAL["summary"]),
    ])
    russian, chinese = Document.objects.filter(pk__in=result.new_ids).order_by("canonical_url")
    assert (russian.language, chinese.language) == ("ru", "zh")
    # Russian stemming: "помощью" finds "помощи".
    assert Document.objects.filter(pk=russian.pk,
                                   search_vector=SearchQuery("помощью", config="russian")).exists()


def test_a_chinese_and_a_russian_denial_are_suggested_to_the_english_claim_as_denials(claim):
    chinese = make_document(**CHINESE_DENIAL)
    russian = make_document(**RUSSIAN_DENIAL)
    off_topic = make_document(**OFF_TOPIC_CHINESE)

    created = _semantic_pass(chinese, russian, off_topic)

    stances = dict(CoverageSuggestion.objects.filter(claim=claim).values_list("document_id", "stance"))
    assert stances == {chinese.pk: "denies", russian.pk: "denies"}
    assert created == 2
    suggestion = CoverageSuggestion.objects.get(document=chinese)
    assert suggestion.passage in (normalize(CHINESE_DENIAL["title"]), normalize(CHINESE_DENIAL["summary"]))
    assert 0 < suggestion.stance_confidence <= 1 and 0.5 <= suggestion.relevance <= 1


def test_the_lexical_pass_leaves_other_languages_to_the_semantic_pass(claim):
    russian = make_document(**RUSSIAN_DENIAL)

    assert matching.documents_match(document_ids=[russian.pk]) == 0
    assert _semantic_pass(russian) == 1


def test_a_claim_embedded_after_its_coverage_arrived_still_finds_it(editor):
    chinese = make_document(**CHINESE_DENIAL)
    documents_embed(document_ids=[chinese.pk])
    late = make_claim(editor, text=CLAIM)
    claims_embed(claim_ids=[late.pk])
    late.refresh_from_db()

    found = matching.claim_candidate_documents(claim=late)
    matching.claim_match_documents(claim=late, document_ids=found)

    assert CoverageSuggestion.objects.get(claim=late, document=chinese).stance == "denies"


def test_the_semantic_pass_relabels_undecided_suggestions_but_never_decided_ones(claim, editor):
    from claims.corroboration.services import suggestion_dismiss

    first = make_document(title="Kremlin denies asking China for military aid for Ukraine war",
                          summary="The Kremlin denied reports that Russia asked China for "
                                  "military aid, calling them false.")
    second = make_document(title="China denies Russia asked it for military aid in Ukraine",
                           summary="Beijing dismissed reports that Russia asked China for "
                                   "military aid as disinformation.")
    matching.documents_match(document_ids=[first.pk, second.pk])
    CoverageSuggestion.objects.update(stance="supports", stance_confidence=0.5)
    dismissed = CoverageSuggestion.objects.get(document=second)
    suggestion_dismiss(actor=editor, suggestion_id=dismissed.pk)

    _semantic_pass(first, second)

    assert CoverageSuggestion.objects.get(document=first).stance == "denies"
    dismissed.refresh_from_db()
    assert (dismissed.stance, dismissed.status) == ("supports", "dismissed")


def test_documents_embed_is_idempotent_and_stores_one_passage_vector(claim):
    chinese = make_document(**CHINESE_DENIAL)

    assert documents_embed(document_ids=[chinese.pk]) == [chinese.pk]
    assert documents_embed(document_ids=[chinese.pk]) == []
    chinese.refresh_from_db()
    assert len(chinese.embedding) == 384 and len(bytes(chinese.embedding_units)) == 384 * 2


def test_the_coverage_tab_and_the_inbox_show_the_language_and_highlight_the_passage(
    editor_client, editor, claim
):
    from claims import services

    services.claim_assign(actor=editor, claim_id=claim.pk, assignee=editor)
    chinese = make_document(**CHINESE_DENIAL, outlet=OutletFactory(name="Xinhua", domain="xinhua.example"))
    _semantic_pass(chinese)

    for url in (reverse("coverage:claim_coverage", args=[claim.pk]), reverse("coverage:inbox")):
        html = editor_client.get(url).content.decode()
        assert "Xinhua" in html
        assert '<span class="visually-hidden">Language: </span>Chinese</span>' in html
        assert 'lang="zh"' in html
        assert "<mark>" in html[html.index("suggestion__snippet"):]

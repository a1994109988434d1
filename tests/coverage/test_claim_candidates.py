"""A claim's full-text candidates among stored coverage ("gather coverage now"): its rarer
words, any two together, so that the query stays small in a store of a million articles."""

from __future__ import annotations

import pytest
from django.db import connection

from claims.corroboration import matching
from claims.corroboration.matching import claim_candidate_documents, claim_documents_query
from claims.models import Claim
from sources.connectors import FeedItem
from sources.documents import documents_upsert
from sources.models import Document
from sources.search import document_word_frequencies

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysed_store(db):
    """Forty articles that all say "government", two about drones for Moscow; then ANALYZE,
    as autovacuum would, so that the planner's statistics know which words are common."""
    items = [FeedItem(url=f"https://news.example/budget-{n}", title=f"Government budget talks day {n}",
                      summary="The government said talks would continue.", language="en")
             for n in range(40)]
    items += [
        FeedItem(url="https://news.example/drones", title="Government denies drone deliveries to Moscow",
                 summary="Officials denied that drones were shipped to Moscow.", language="en"),
        FeedItem(url="https://news.example/drones-2", title="Drone shipments to Moscow questioned",
                 summary="Reporters asked about drone deliveries.", language="en"),
    ]
    documents_upsert(items=items)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sources_document")


def test_the_store_says_how_common_each_word_is(analysed_store):
    share = document_word_frequencies(["government", "governments", "moscow", "volcano"], config="english")
    assert share["government"] > 0.9 and share["governments"] == share["government"]  # one stem
    assert share["volcano"] == 0


def test_common_words_are_left_out_and_any_two_rare_ones_are_asked_for(analysed_store, monkeypatch):
    # In a store of 42 articles a word in two of them is in 5 %: the bar is raised to match.
    monkeypatch.setattr(matching, "CANDIDATE_MAX_WORD_SHARE", 0.1)
    query = claim_documents_query("The government sent drones to Moscow", config="english")
    assert "government" not in query
    assert set(query.split(" | ")) == {"(sent & drones)", "(sent & moscow)", "(drones & moscow)"}


def test_a_claim_of_common_words_asks_for_any_two_of_its_three_rarest(analysed_store):
    query = claim_documents_query("Government budget talks continue", config="english")
    assert query.count("|") == 2 and "continue" in query


def test_a_one_word_claim_asks_for_that_word_and_an_empty_one_for_nothing(analysed_store):
    assert claim_documents_query("Drones!", config="english") == "drones"
    assert claim_documents_query("  ", config="english") == ""


def test_the_candidates_are_the_articles_about_the_claim_not_every_government_story(analysed_store, editor):
    claim = Claim.objects.create(text="The government sent drones to Moscow", claimant="A minister",
                                 created_by=editor, language="en")
    found = claim_candidate_documents(claim=claim, fulltext=True)
    urls = set(Document.objects.filter(pk__in=found).values_list("canonical_url", flat=True))
    assert urls == {"https://news.example/drones", "https://news.example/drones-2"}

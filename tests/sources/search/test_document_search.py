"""Searching stored coverage: the selector over real PostgreSQL full-text indexes, and the page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sources import search
from sources.connectors import FeedItem
from sources.documents import documents_upsert
from sources.models import Document
from sources.search import SearchInputError, documents_search, documents_search_count

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def store(*items: dict) -> list[int]:
    """Store items as a feed poll stores them (upsert, language, full-text index)."""
    result = documents_upsert(items=[FeedItem(**item) for item in items])
    return result.new_ids


@pytest.fixture
def coverage(db):
    store(
        {"url": "https://news.example/us-russia-china-aid", "title": "US says Russia requested Chinese military aid",
         "summary": "Officials in Washington said Moscow asked Beijing for drones and ammunition.",
         "published_at": NOW - timedelta(days=3), "language": "en", "outlet_name": "Example News"},
        {"url": "https://news.example/beijing-denies", "title": "Beijing denies Russia asked for military help",
         "summary": "The foreign ministry called the reports disinformation spread by Washington.",
         "published_at": NOW - timedelta(days=2), "language": "en"},
        {"url": "https://ru.example/mid", "title": "МИД России опроверг сообщения о военной помощи Китая",
         "summary": "В Москве назвали сообщения о просьбе к Пекину дезинформацией.",
         "published_at": NOW - timedelta(days=1), "language": "ru"},
        {"url": "https://news.example/weather", "title": "Storm warning for the coast",
         "summary": "Forecasters expect heavy rain and strong winds this weekend.",
         "published_at": NOW - timedelta(days=1), "language": "en"},
    )


def titles(page) -> list[str]:
    return [hit.title for hit in page.hits]


def test_it_finds_words_by_their_stem_in_english(coverage):
    page = documents_search(query="requesting aid")
    assert titles(page) == ["US says Russia requested Chinese military aid"]
    assert documents_search_count(query="requesting aid") == search.MatchCount(1, True)


def test_it_finds_russian_coverage_with_a_russian_query(coverage):
    page = documents_search(query="военной помощи")
    assert titles(page) == ["МИД России опроверг сообщения о военной помощи Китая"]
    assert page.hits[0].language == "ru"


def test_it_lists_newest_first_by_default_and_can_rank_by_relevance(coverage):
    newest = documents_search(query="military Russia")
    assert titles(newest) == ["Beijing denies Russia asked for military help",
                              "US says Russia requested Chinese military aid"]
    ranked = documents_search(query="military Russia requested", order="relevance")
    assert titles(ranked) == ["US says Russia requested Chinese military aid"]


def test_it_reads_phrases_exclusions_and_or(coverage):
    assert titles(documents_search(query='"military aid"')) == ["US says Russia requested Chinese military aid"]
    assert titles(documents_search(query="military -denies")) == ["US says Russia requested Chinese military aid"]
    assert len(documents_search(query="storm or drones").hits) == 2


def test_it_filters_by_language(coverage):
    assert documents_search(query="Russia", language="ru").hits == []
    assert len(documents_search(query="Russia", language="en").hits) == 2


def test_it_marks_the_matched_words_in_the_snippet(coverage):
    hit = documents_search(query="drones").hits[0]
    assert f"{search.MARK_START}drones{search.MARK_STOP}" in hit.snippet


def test_it_walks_pages_newest_first_by_keyset_without_repeats(db):
    store(*[{"url": f"https://news.example/ukraine-{n}", "title": f"Ukraine grain exports report {n}",
             "published_at": NOW - timedelta(hours=n), "language": "en"} for n in range(7)])
    seen, cursor = [], ""
    while True:
        page = documents_search(query="grain exports", cursor=cursor, per_page=3)
        seen += titles(page)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == [f"Ukraine grain exports report {n}" for n in range(7)]


def test_it_orders_undated_documents_by_when_they_were_stored(db):
    store({"url": "https://news.example/undated", "title": "Harbour strike continues", "language": "en"},
          {"url": "https://news.example/old", "title": "Harbour strike begins",
           "published_at": NOW - timedelta(days=400), "language": "en"})
    page = documents_search(query="harbour strike")
    assert titles(page) == ["Harbour strike continues", "Harbour strike begins"]
    assert page.hits[0].dated is False and page.hits[1].dated is True


def test_it_caps_the_count_and_says_it_is_not_exact(db, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    store(*[{"url": f"https://news.example/flood-{n}", "title": f"Flood defences {n}", "language": "en"}
            for n in range(5)])
    assert documents_search_count(query="flood") == search.MatchCount(3, False)
    assert documents_search_count(query="flood", language="ru") == search.MatchCount(0, True)


def test_relevance_order_ranks_only_the_newest_matches_and_says_how_far_back(db, monkeypatch):
    monkeypatch.setattr(search, "RANKED_MATCHES", 3)
    store(*[{"url": f"https://news.example/tariff-{n}", "title": "Steel tariff" + (" tariff tariff" if n == 4 else ""),
             "published_at": NOW - timedelta(days=n), "language": "en"} for n in range(5)])
    page = documents_search(query="tariff", order="relevance")
    # The oldest two are beyond the three newest matches, however relevant.
    assert len(page.hits) == 3
    assert page.ranked_reach == NOW - timedelta(days=2)


@pytest.mark.parametrize("query", ["a & b | !c", "'); DROP TABLE sources_document; --", ":* <-> (",
                                   "<script>alert(1)</script>", "ü𝔘\x00"])
def test_it_reads_any_text_as_words_never_as_query_syntax(coverage, query):
    documents_search(query=query)  # no error, whatever it finds
    assert Document.objects.count() == 4


def test_it_refuses_empty_long_or_damaged_input_with_a_clear_message(coverage):
    with pytest.raises(SearchInputError, match="Type what"):
        documents_search(query="   ")
    with pytest.raises(SearchInputError, match="at most"):
        documents_search(query="x" * (search.MAX_QUERY_CHARS + 1))
    with pytest.raises(SearchInputError, match="out of date or damaged"):
        documents_search(query="Russia", cursor="not-a-cursor")
    with pytest.raises(SearchInputError):
        documents_search(query="Russia", order="oldest")


def test_a_stop_word_query_finds_nothing_and_says_so(coverage):
    page = documents_search(query="the")
    assert page.hits == [] and documents_search_count(query="the").count == 0


def test_the_newest_matches_are_found_by_widening_windows_of_days_until_a_page_is_full(db):
    """The newest matches are looked for in the last week, then two months, a year, then
    everywhere: whatever the spread, the pages are the same as one sort of all."""
    ages = [1, 3, 20, 100, 400, 900, 2000]
    store(*[{"url": f"https://news.example/energy-{age}", "title": f"Energy prices {age}",
             "published_at": datetime.now(UTC) - timedelta(days=age, hours=1), "language": "en"}
            for age in ages])
    seen, cursor = [], ""
    while True:
        page = documents_search(query="energy prices", cursor=cursor, per_page=3)
        seen += titles(page)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == [f"Energy prices {age}" for age in ages]
    ranked = documents_search(query="energy", order="relevance")
    assert len(ranked.hits) == len(ages)

"""The "Search coverage" page: who may use it, what it shows, htmx and plain GET."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sources.connectors import FeedItem
from sources.documents import documents_upsert

pytestmark = pytest.mark.django_db

URL = reverse("sources:document_search")


@pytest.fixture
def stored(db):
    documents_upsert(items=[
        FeedItem(url=f"https://news.example/aid-{n}", title=f"Military aid report <b>{n}</b>",
                 summary="<script>alert('x')</script> Officials discussed military aid.", language="en")
        for n in range(30)
    ])


def test_it_shows_matches_with_marked_words_and_escaped_text(client, editor, stored):
    client.force_login(editor)
    response = client.get(URL, {"q": "military aid"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'hx-get="?q=military+aid&amp;count=1"' in body  # the count comes after the page
    assert "<mark>military</mark>" in body.lower() or "<mark>Military</mark>" in body
    # Stored text is plain text: markup in it is never markup on the page.
    assert "<script>alert" not in body and "<b>0</b>" not in body
    assert 'rel="next"' in body and "Older" in body


def test_the_next_page_link_continues_the_list(client, editor, stored):
    client.force_login(editor)
    first = client.get(URL, {"q": "military aid"}).context["result"]
    second = client.get(URL, {"q": "military aid", "after": first.next_cursor}).context["result"]
    assert len(first.hits) == 25 and len(second.hits) == 5
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_the_count_comes_alone_to_htmx_and_with_the_page_without_javascript(client, editor, stored):
    client.force_login(editor)
    fragment = client.get(URL, {"q": "military aid", "count": "1"}, headers={"HX-Request": "true"})
    assert fragment.content.decode().strip() == '<span id="match-count">30 matches</span>'
    page = client.get(URL, {"q": "military aid", "count": "1"}).content.decode()
    assert "30 matches" in page and "Military aid report" in page


def test_htmx_gets_only_the_results(client, editor, stored):
    client.force_login(editor)
    response = client.get(URL, {"q": "military"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'id="search-results"' in body and "<html" not in body


def test_without_a_query_it_explains_and_with_a_damaged_link_it_says_so(client, reviewer, stored):
    client.force_login(reviewer)
    assert "Type words to search" in client.get(URL).content.decode()
    body = client.get(URL, {"q": "aid", "after": "garbage"}).content.decode()
    assert "out of date or damaged" in body and 'role="alert"' in body


def test_an_empty_result_says_what_to_try(client, editor, stored):
    client.force_login(editor)
    assert "No stored coverage matches" in client.get(URL, {"q": "volcano"}).content.decode()


def test_outsiders_are_refused_and_anonymous_visitors_sent_to_log_in(client, outsider, stored):
    assert client.get(URL, {"q": "aid"}).status_code == 302
    client.force_login(outsider)
    assert client.get(URL, {"q": "aid"}).status_code == 403


def test_a_page_of_results_costs_a_fixed_number_of_queries(client, editor, stored, django_assert_max_num_queries):
    client.force_login(editor)
    with django_assert_max_num_queries(16):
        client.get(URL, {"q": "military aid"})

"""Polling feeds served by the local web server: documents, health, conditional GET, backoff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sources.feeds import ABANDONED_MESSAGE, backoff_delay, feed_add, feed_poll, feeds_due
from sources.models import Document, Feed, FeedPoll, Outlet
from tests.sources.feeds.conftest import rss_feed

pytestmark = pytest.mark.django_db


def poll_url(url, **kwargs):
    feed = Feed.objects.create(url=url, kind=kwargs.pop("kind", "rss"), **kwargs)
    poll = feed_poll(feed_id=feed.pk)
    feed.refresh_from_db()
    return feed, poll


def test_it_stores_each_rss_item_as_a_document(served, matching_sent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        feed, poll = poll_url(served.url("/feed_rss2.xml"))
    assert poll.status == FeedPoll.Status.SUCCEEDED
    assert (poll.items_seen, poll.items_new) == (3, 3)
    doc = Document.objects.get(canonical_url="https://ledger.example/world/russia-china-aid")
    assert doc.title.startswith("U.S. says Russia asked China")
    assert "<" not in doc.summary and "drones" in doc.summary
    assert doc.published_at.isoformat() == "2022-03-14T09:30:00+00:00"
    assert doc.outlet.domain == "ledger.example"
    assert doc.language == "en-gb"
    assert doc.feed == feed
    assert doc.fingerprint and len(doc.fingerprint) == 64
    assert feed.title == "The Harbour Ledger - World"
    assert feed.last_success_at and feed.consecutive_failures == 0
    assert feed.next_poll_at > timezone.now() + timedelta(minutes=29)
    assert [sorted(ids) for ids in matching_sent] == [sorted(Document.objects.values_list("pk", flat=True))]


def test_it_indexes_documents_for_full_text_search(served):
    poll_url(served.url("/feed_rss2.xml"))
    from django.contrib.postgres.search import SearchQuery

    hits = Document.objects.filter(search_vector=SearchQuery("kremlin denies", config="english"))
    assert [d.title for d in hits] == ["Kremlin denies seeking Chinese help"]
    # the content:encoded body is indexed too (weight C)
    assert Document.objects.filter(search_vector=SearchQuery("foreign ministry rejected", config="english")).count() == 1


def test_it_reads_atom_feeds(served):
    feed, poll = poll_url(served.url("/feed_atom.xml"), kind="atom")
    assert poll.status == "succeeded"
    assert Document.objects.filter(canonical_url="https://notes.example.org/2022/03/russia-china-drones").exists()


@pytest.mark.parametrize("path, expected", [
    ("/feed_malformed.xml", "well-formed"),
    ("/feed_garbage.xml", "feed"),
    ("/not_a_feed.html", "HTML page, not a feed"),
    ("/huge?content_type=application/rss%2Bxml", "large"),
    ("/status/404", "404"),
])
def test_it_records_a_broken_feed_on_its_health_without_raising(served, path, expected, settings):
    settings.FETCH_MAX_BYTES = 256 * 1024
    feed, poll = poll_url(served.url(path))
    assert poll.status == FeedPoll.Status.FAILED
    assert expected.lower() in poll.error.lower()
    assert feed.last_error == poll.error and feed.last_error_at
    assert feed.consecutive_failures == 1
    assert feed.last_success_at is None
    assert Document.objects.count() == 0


def test_it_notes_a_wrong_encoding_and_still_stores_the_item(served):
    feed, poll = poll_url(served.url("/feed_wrong_encoding.xml"))
    assert poll.status == "succeeded"
    assert any("encoding" in p for p in poll.problems)
    assert Document.objects.filter(canonical_url="https://cafe.example/pekin").exists()


def test_it_skips_items_without_links_and_counts_duplicates_once(served):
    feed, poll = poll_url(served.url("/feed_problems.xml"))
    assert poll.status == "succeeded"
    assert any("no link" in p for p in poll.problems)
    assert any("duplicates item 1" in p for p in poll.problems)
    urls = sorted(Document.objects.values_list("canonical_url", flat=True))
    assert urls == ["https://problems.example/one", "https://problems.example/two"]
    assert poll.items_seen == 2 and poll.items_new == 2


def test_it_sends_a_conditional_get_and_records_not_modified(served, matching_sent,
                                                              django_capture_on_commit_callbacks):
    feed, first = poll_url(served.url("/etag/world.rss"))
    assert first.status == "succeeded" and feed.etag == '"v1-world.rss"'
    Feed.objects.filter(pk=feed.pk).update(next_poll_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        second = feed_poll(feed_id=feed.pk)
    assert served.requests[-1].headers.get("if-none-match") == '"v1-world.rss"'
    assert second.status == FeedPoll.Status.NOT_MODIFIED
    assert second.items_new == 0
    assert matching_sent == []  # nothing new, nothing to match
    feed.refresh_from_db()
    assert feed.consecutive_failures == 0 and feed.last_success_at >= second.started_at


def test_it_is_idempotent_when_polled_again(served, matching_sent, django_capture_on_commit_callbacks):
    feed, first = poll_url(served.url("/feed_rss2.xml"))
    ids = set(Document.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        second = feed_poll(feed_id=feed.pk)
    assert second.status == "succeeded" and second.items_seen == 3 and second.items_new == 0
    assert set(Document.objects.values_list("pk", flat=True)) == ids
    assert matching_sent == []


def test_a_second_feed_with_the_same_items_adds_no_duplicates(served):
    poll_url(served.url("/feed_rss2.xml"))
    _, poll = poll_url(served.url("/feed_rss2.xml?copy=1"))
    assert poll.items_new == 0
    assert Document.objects.count() == 3


def test_it_refreshes_an_item_whose_title_changed(served):
    url = served.add_route("/changing.xml", rss_feed([{"title": "Old title", "link": "https://a.example/x"}]),
                           "application/rss+xml")
    feed, _ = poll_url(url)
    served.add_route("/changing.xml", rss_feed([{"title": "New title", "link": "https://a.example/x"}]),
                     "application/rss+xml")
    poll = feed_poll(feed_id=feed.pk)
    assert poll.items_new == 0
    doc = Document.objects.get()
    assert doc.title == "New title"
    from django.contrib.postgres.search import SearchQuery

    assert Document.objects.filter(search_vector=SearchQuery("new", config="english")).exists()


def test_syndicated_copies_share_a_fingerprint(served):
    lede = ("(Demo Wire) - Russia has asked China for military equipment, including drones, U.S. officials "
            "said on Sunday, in a request that Washington says it is watching closely.")
    items = [
        {"title": "Russia asked China for military aid, U.S. says", "link": "https://one.example/a",
         "description": "WASHINGTON " + lede},
        {"title": "Russia asked China for military aid, U.S. says.", "link": "https://two.example/b",
         "description": f"<p>{lede.split(' - ', 1)[1]}</p>"},
        {"title": "RUSSIA ASKED CHINA FOR MILITARY AID, U.S. SAYS", "link": "https://three.example/c",
         "description": lede},
        {"title": "China denies the report", "link": "https://four.example/d", "description": "Beijing says no."},
    ]
    feed, poll = poll_url(served.add_route("/wire.xml", rss_feed(items), "application/rss+xml"))
    fingerprints = dict(Document.objects.values_list("canonical_url", "fingerprint"))
    assert fingerprints["https://one.example/a"] == fingerprints["https://two.example/b"] \
        == fingerprints["https://three.example/c"]
    assert fingerprints["https://four.example/d"] != fingerprints["https://one.example/a"]
    assert Outlet.objects.filter(domain__in=["one.example", "two.example", "three.example"]).count() == 3


def test_it_credits_the_publisher_named_in_an_aggregator_source_element(served):
    items = [{"title": "T", "link": "https://news.aggregator.example/read/123",
              "source": "Capital Times", "source_url": "https://capitaltimes.example/"}]
    poll_url(served.add_route("/agg.xml", rss_feed(items), "application/rss+xml"))
    doc = Document.objects.get()
    assert doc.outlet.domain == "capitaltimes.example" and doc.outlet.name == "Capital Times"


def test_backoff_grows_with_each_failure_and_is_capped(served):
    feed, _ = poll_url(served.url("/feed_malformed.xml"), interval_minutes=10)
    delays = []
    for _ in range(3):
        delays.append(feed.next_poll_at - feed.last_polled_at)
        Feed.objects.filter(pk=feed.pk).update(next_poll_at=None)
        feed_poll(feed_id=feed.pk)
        feed.refresh_from_db()
    assert feed.consecutive_failures == 4
    assert delays[0] < delays[1] < delays[2]
    assert timedelta(minutes=9) <= delays[0] <= timedelta(minutes=11)
    assert backoff_delay(interval_minutes=10, failures=30) <= timedelta(hours=24)
    # one success resets the count and the interval
    Feed.objects.filter(pk=feed.pk).update(url=served.url("/feed_rss2.xml"), next_poll_at=None)
    feed_poll(feed_id=feed.pk)
    feed.refresh_from_db()
    assert feed.consecutive_failures == 0
    assert feed.next_poll_at - feed.last_polled_at == timedelta(minutes=10)


def test_it_records_a_transient_failure_then_reraises_it_for_the_task(served):
    from sources.connectors import FeedError

    feed = Feed.objects.create(url=served.url("/status/503"))
    with pytest.raises(FeedError) as caught:
        feed_poll(feed_id=feed.pk, raise_transient=True)
    assert caught.value.transient
    feed.refresh_from_db()
    assert feed.consecutive_failures == 1 and "503" in feed.last_error
    assert FeedPoll.objects.get(feed=feed).status == "failed"


def test_it_closes_a_running_poll_left_by_a_dead_worker(served):
    feed = Feed.objects.create(url=served.url("/feed_rss2.xml"))
    stale = FeedPoll.objects.create(feed=feed, started_at=timezone.now() - timedelta(minutes=3))
    poll = feed_poll(feed_id=feed.pk)
    stale.refresh_from_db()
    assert stale.status == "failed" and stale.error == ABANDONED_MESSAGE and stale.finished_at
    assert poll.status == "succeeded"


def test_it_steps_aside_while_another_worker_holds_the_feed(served, django_db_blocker):
    import psycopg
    from django.db import connection

    from sources.feeds import ADVISORY_NAMESPACE
    from tests.conftest import database_url_for_subprocess

    feed = Feed.objects.create(url=served.url("/feed_rss2.xml"))
    url = database_url_for_subprocess()
    assert connection.settings_dict["NAME"] in url
    with psycopg.connect(url, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [ADVISORY_NAMESPACE, feed.pk])
        assert feed_poll(feed_id=feed.pk) is None
        # Unlock before closing: the server releases a closing session's locks only after
        # the client has gone, so the poll below could otherwise still find the lock held.
        unlocked = other.execute("SELECT pg_advisory_unlock(%s, %s)",
                                 [ADVISORY_NAMESPACE, feed.pk]).fetchone()[0]
        assert unlocked is True
    assert not FeedPoll.objects.filter(feed=feed).exists()
    assert feed_poll(feed_id=feed.pk).status == "succeeded"


def test_only_if_due_skips_feeds_that_are_not_due_or_paused(served):
    feed = Feed.objects.create(url=served.url("/feed_rss2.xml"),
                               next_poll_at=timezone.now() + timedelta(minutes=5))
    paused = Feed.objects.create(url=served.url("/feed_atom.xml"), is_active=False)
    due = Feed.objects.create(url=served.url("/feed_problems.xml"), next_poll_at=timezone.now())
    assert feed_poll(feed_id=feed.pk, only_if_due=True) is None
    assert feed_poll(feed_id=paused.pk, only_if_due=True) is None
    assert feeds_due() == [due.pk]
    assert feed_poll(feed_id=999999) is None


def test_it_polls_gdelt_queries(served):
    feed = feed_add(kind="gdelt", query="russia china military aid")
    poll = feed_poll(feed_id=feed.pk)
    assert poll.status == "succeeded" and poll.items_new > 0


def test_factcheck_without_a_key_is_recorded_as_off(served, settings):
    settings.GOOGLE_FACTCHECK_API_KEY = ""
    feed = feed_add(kind="factcheck", query="russia china")
    poll = feed_poll(feed_id=feed.pk)
    assert poll.status == "failed" and "API key" in poll.error


@pytest.mark.parametrize("kwargs, field, message", [
    ({"url": "ftp://x.example/feed"}, "url", "http:// or https://"),
    ({"url": "not a url"}, "url", "not a web address"),
    ({"url": "https://x.example/f", "kind": "telegraph"}, "kind", "Unknown feed kind"),
    ({"url": "https://x.example/f", "interval_minutes": 0}, "interval_minutes", "at least 1 minute"),
    ({"kind": "gdelt"}, "query", "needs a search query"),
])
def test_feed_add_explains_what_is_wrong(kwargs, field, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        feed_add(**kwargs)
    assert message in " ".join(caught.value.message_dict[field])


def test_feed_add_says_when_the_feed_exists():
    from sources.feeds import FeedAlreadyExists

    feed = feed_add(url="https://x.example/feed.xml?utm_source=a", outlet_name="X Daily")
    assert feed.url == "https://x.example/feed.xml" and feed.outlet.name == "X Daily"
    assert feed.next_poll_at is None and feeds_due() == [feed.pk]
    with pytest.raises(FeedAlreadyExists) as caught:
        feed_add(url="https://x.example/feed.xml")
    assert caught.value.feed == feed
    assert "already being polled" in caught.value.messages[0]

"""The demo feed: served as RSS by the app, seeded in-process, wire copies grouped."""

from __future__ import annotations

import pytest

from sources.connectors import parse_feed
from sources.demo_feed import DEMO_ITEMS, seed_demo_feed
from sources.fetching import FetchResult
from sources.models import Document, Feed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings):
    """The demo feed is served in debug only (make run); see the test below for production."""
    settings.DEBUG = True


def test_the_demo_feed_does_not_exist_outside_debug(client, settings):
    settings.DEBUG = False
    assert client.get("/demo-feed/seed-story.xml").status_code == 404
    assert client.get(f"/demo-feed/articles/{DEMO_ITEMS[0].slug}/").status_code == 404


def as_fetch_result(response, url):
    return FetchResult(requested_url=url, final_url=url, status=200, headers={k.lower(): v for k, v in response.items()},
                       content_type="application/rss+xml", charset="utf-8", body=response.content, redirects=[])


def test_the_demo_feed_endpoint_parses_as_rss_without_login(client):
    response = client.get("/demo-feed/seed-story.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    parsed = parse_feed(as_fetch_result(response, "http://testserver/demo-feed/seed-story.xml"))
    assert len(parsed.items) == len(DEMO_ITEMS) >= 8
    assert parsed.problems == []
    first = parsed.items[0]
    assert first.url.startswith("http://testserver/demo-feed/articles/")
    assert first.outlet_domain.endswith(".example") and first.published_at


def test_the_demo_feed_answers_conditional_gets(client):
    etag = client.get("/demo-feed/seed-story.xml")["ETag"]
    assert client.get("/demo-feed/seed-story.xml", headers={"If-None-Match": etag}).status_code == 304


def test_demo_articles_are_served_with_the_lede_and_a_demo_label(client):
    item = DEMO_ITEMS[4]
    response = client.get(f"/demo-feed/articles/{item.slug}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "dismissed reports that Russia had asked it for military aid" in body and "fictional outlet" in body
    assert client.get("/demo-feed/articles/no-such-story/").status_code == 404


def test_seeding_is_idempotent_and_groups_wire_copies(settings):
    settings.NEWSROOM_URL = "http://127.0.0.1:8000"
    feed, new_ids = seed_demo_feed()
    assert feed.url == "http://127.0.0.1:8000/demo-feed/seed-story.xml"
    assert len(new_ids) == len(DEMO_ITEMS)
    again, more = seed_demo_feed()
    assert again == feed and more == [] and Feed.objects.count() == 1
    assert Document.objects.count() == len(DEMO_ITEMS)
    wire = Document.objects.filter(title__startswith="U.S. officials say Russia asked China")
    assert wire.count() == 3
    assert len({d.fingerprint for d in wire}) == 1
    assert len({d.outlet_id for d in wire}) == 3
    assert Document.objects.exclude(fingerprint=wire[0].fingerprint).values("fingerprint").distinct().count() \
        == len(DEMO_ITEMS) - 3


def test_polling_the_served_demo_feed_adds_nothing_after_seeding(settings, live_server, matching_sent):
    from sources.feeds import feed_poll

    port = live_server.url.rsplit(":", 1)[1]
    settings.NEWSROOM_URL = live_server.url
    settings.FETCH_ALLOW_LOOPBACK = port
    feed, new_ids = seed_demo_feed()
    poll = feed_poll(feed_id=feed.pk)
    assert poll.status == "succeeded", poll.error
    assert poll.items_seen == len(DEMO_ITEMS) and poll.items_new == 0
    assert Document.objects.count() == len(DEMO_ITEMS)

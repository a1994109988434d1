"""Feed pages: editors see health and manage feeds; outsiders get 403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sources.models import Document, Feed, FeedPoll

pytestmark = pytest.mark.django_db


@pytest.fixture
def feeds(db):
    now = timezone.now()
    healthy = Feed.objects.create(url="https://ok.example/rss", title="Okay Daily", last_success_at=now,
                                  next_poll_at=now + timedelta(minutes=30))
    failing = Feed.objects.create(
        url="https://broken.example/rss", title="Broken Times", consecutive_failures=3,
        last_error="https://broken.example/rss returned an HTML page, not a feed",
        last_error_at=now - timedelta(hours=2), next_poll_at=now + timedelta(hours=2),
    )
    FeedPoll.objects.create(feed=healthy, status="succeeded", started_at=now, items_seen=2, items_new=2,
                            problems=["item 3 has no link, skipped"])
    for n in range(2):
        Document.objects.create(canonical_url=f"https://ok.example/{n}", title=f"Story <b>{n}</b>",
                                feed=healthy, fingerprint="f" * 64)
    return healthy, failing


def test_editors_see_each_feeds_health(editor_client, feeds, django_assert_num_queries):
    # session, user, user + group permissions, feed count, the feeds page, groups (nav), unread count
    with django_assert_num_queries(8):  # the top bar's unread count is one
        response = editor_client.get("/feeds/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Okay Daily" in body and "Healthy" in body
    assert "Failing (3 in a row)" in body and "backing off until" in body
    assert "returned an HTML page, not a feed" in body
    assert "1 item problem in the last poll" in body
    assert "Add a feed" in body


def test_feed_list_query_count_does_not_grow_with_feeds(editor_client, feeds, django_assert_max_num_queries):
    for n in range(10):
        Feed.objects.create(url=f"https://more.example/{n}")
    with django_assert_max_num_queries(8):  # the top bar's unread count is one
        editor_client.get("/feeds/")


def test_feed_detail_shows_polls_and_documents_escaped(editor_client, feeds):
    healthy, _ = feeds
    body = editor_client.get(f"/feeds/{healthy.pk}/").content.decode()
    assert "item 3 has no link, skipped" in body
    assert "Story &lt;b&gt;0&lt;/b&gt;" in body
    assert "2 outlets" in body


@pytest.mark.parametrize("method, path", [
    ("get", "/feeds/"), ("get", "/feeds/{id}/"), ("post", "/feeds/"), ("post", "/feeds/{id}/poll/"),
    ("post", "/feeds/{id}/active/"),
])
def test_outsiders_are_refused(client, outsider, feeds, method, path):
    client.force_login(outsider)
    response = getattr(client, method)(path.format(id=feeds[0].pk), {"url": "https://x.example/f", "kind": "rss",
                                                                       "interval_minutes": 5, "active": "0"})
    assert response.status_code == 403
    assert Feed.objects.count() == 2 and Feed.objects.filter(is_active=False).count() == 0


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/feeds/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_missing_feed_is_404(editor_client):
    assert editor_client.get("/feeds/424242/").status_code == 404


def test_editor_adds_a_feed_and_sees_clear_errors(editor_client):
    response = editor_client.post("/feeds/", {"url": "https://new.example/rss", "kind": "rss",
                                              "interval_minutes": 20, "outlet_name": "New Paper"})
    assert response.status_code == 302
    assert Feed.objects.get().outlet.name == "New Paper"
    again = editor_client.post("/feeds/", {"url": "https://new.example/rss", "kind": "rss", "interval_minutes": 20},
                               follow=True)
    assert "already being polled" in again.content.decode()
    bad = editor_client.post("/feeds/", {"url": "", "kind": "gdelt", "interval_minutes": 20})
    assert bad.status_code == 400 and "needs a search query" in bad.content.decode()
    assert Feed.objects.count() == 1


def test_pause_resume_and_poll_now(editor_client, feeds, monkeypatch, django_capture_on_commit_callbacks):
    healthy, _ = feeds
    enqueued = []
    monkeypatch.setattr("sources.feeds._enqueue_poll", enqueued.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/feeds/{healthy.pk}/poll/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "poll queued" in response.content.decode()
    assert enqueued == [healthy.pk]
    healthy.refresh_from_db()
    assert healthy.next_poll_at <= timezone.now()
    response = editor_client.post(f"/feeds/{healthy.pk}/active/", {"active": "0"})
    assert response.status_code == 302
    healthy.refresh_from_db()
    assert not healthy.is_active
    refused = editor_client.post(f"/feeds/{healthy.pk}/poll/", follow=True)
    assert "paused: resume it" in refused.content.decode()
    editor_client.post(f"/feeds/{healthy.pk}/active/", {"active": "1"})
    healthy.refresh_from_db()
    assert healthy.is_active

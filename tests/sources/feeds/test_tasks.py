"""The Celery tasks, run in-process: due feeds are enqueued, transient errors retried."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sources.models import Feed, FeedPoll
from sources.tasks import feeds as feed_tasks

pytestmark = pytest.mark.django_db


def test_feeds_poll_due_enqueues_each_due_active_feed_once(monkeypatch):
    now = timezone.now()
    due = Feed.objects.create(url="https://a.example/rss", next_poll_at=now - timedelta(minutes=1))
    never = Feed.objects.create(url="https://b.example/rss")
    Feed.objects.create(url="https://c.example/rss", next_poll_at=now + timedelta(minutes=5))
    Feed.objects.create(url="https://d.example/rss", is_active=False)
    sent = []
    monkeypatch.setattr(feed_tasks.feed_poll_task, "apply_async", lambda args, **kw: sent.append(args[0]))
    assert feed_tasks.feeds_poll_due() == 2
    assert sorted(sent) == sorted([due.pk, never.pk])


def test_the_poll_task_retries_only_transient_errors(served, monkeypatch):
    retried = []

    class Retry(Exception):
        pass

    def fake_retry(exc=None, countdown=None, **kw):
        retried.append((str(exc), countdown))
        return Retry()

    monkeypatch.setattr(feed_tasks.feed_poll_task, "retry", fake_retry)
    flaky = Feed.objects.create(url=served.url("/status/503"))
    with pytest.raises(Retry):
        feed_tasks.feed_poll_task.apply(args=[flaky.pk], throw=True)
    assert len(retried) == 1 and 15 <= retried[0][1] <= 25

    broken = Feed.objects.create(url=served.url("/status/404"))
    result = feed_tasks.feed_poll_task.apply(args=[broken.pk], throw=True)
    assert result.get().startswith("failed: Feed") and "404" in result.get() and len(retried) == 1
    assert FeedPoll.objects.get(feed=broken).status == "failed"


def test_the_poll_task_does_nothing_for_a_feed_polled_a_moment_ago(served):
    feed = Feed.objects.create(url=served.url("/feed_rss2.xml"))
    assert feed_tasks.feed_poll_task.apply(args=[feed.pk]).get().startswith("succeeded")
    assert feed_tasks.feed_poll_task.apply(args=[feed.pk]).get() == "skipped"  # a duplicate message
    assert FeedPoll.objects.filter(feed=feed).count() == 1


def test_retry_countdown_grows_and_is_capped():
    assert feed_tasks.retry_countdown(0) <= 25 < feed_tasks.retry_countdown(2)
    assert feed_tasks.retry_countdown(10) <= feed_tasks.RETRY_MAX_SECONDS * 1.25


def test_full_text_fetch_keeps_the_main_text(served, settings):
    from sources.models import Document

    doc = Document.objects.create(canonical_url=served.url("/article.html"), title="x")
    assert feed_tasks.document_fetch_text_task.apply(args=[doc.pk]).get() == "fetched"
    doc.refresh_from_db()
    assert doc.fetched_at and len(doc.text) > 100
    assert feed_tasks.document_fetch_text_task.apply(args=[doc.pk]).get() == "skipped"

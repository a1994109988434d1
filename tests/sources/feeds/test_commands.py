"""feed_add and poll_feeds management commands."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sources.models import Document, Feed

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_feed_add_registers_a_feed_and_says_so_the_second_time():
    out = run("feed_add", "https://ledger.example/world/rss.xml", "--outlet", "The Harbour Ledger",
              "--interval", "15")
    feed = Feed.objects.get()
    assert "Added feed" in out and feed.interval_minutes == 15 and feed.outlet.name == "The Harbour Ledger"
    again = run("feed_add", "https://ledger.example/world/rss.xml")
    assert "already being polled" in again and Feed.objects.count() == 1


def test_feed_add_refuses_bad_input_with_a_clear_message():
    with pytest.raises(CommandError, match="http:// or https://"):
        run("feed_add", "file:///etc/passwd")
    with pytest.raises(CommandError, match="needs a search query"):
        run("feed_add", "--kind", "gdelt")


def test_poll_feeds_sync_polls_due_feeds_and_prints_a_summary(served, monkeypatch):
    good = Feed.objects.create(url=served.url("/feed_rss2.xml"), title="Ledger")
    Feed.objects.create(url=served.url("/not_a_feed.html"), title="Broken")
    Feed.objects.create(url=served.url("/feed_atom.xml"), title="Paused", is_active=False)
    matched = []
    monkeypatch.setattr("claims.management.commands.poll_feeds._matcher",
                        lambda: lambda document_ids: matched.append(document_ids))
    out = run("poll_feeds", "--sync")
    assert "Ledger: succeeded, 3 new of 3 item(s)" in out
    assert "Broken: failed — " in out and "HTML page" in out
    assert "Paused" not in out
    assert sorted(matched[0]) == sorted(Document.objects.filter(feed=good).values_list("pk", flat=True))
    assert "No feed is due" in run("poll_feeds", "--sync")


def test_poll_feeds_sync_says_when_matching_is_not_available(served, monkeypatch):
    Feed.objects.create(url=served.url("/feed_rss2.xml"), title="Ledger")
    monkeypatch.setattr("claims.management.commands.poll_feeds._matcher", lambda: None)
    assert "matching is not available yet" in run("poll_feeds", "--sync")


def test_poll_feeds_without_sync_enqueues_the_scheduled_task(monkeypatch):
    sent = []
    monkeypatch.setattr("sources.tasks.feeds.feeds_poll_due.apply_async", lambda *a, **k: sent.append(k))
    assert "Queued" in run("poll_feeds") and len(sent) == 1

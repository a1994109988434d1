"""The archive and link-check Celery tasks, run eagerly in-process (retries included)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sources import services
from sources.models import LinkCheck, Snapshot, Source
from sources.tasks import archive as tasks
from tests.factories import SourceFactory, make_claim
from tests.sources.archive.conftest import ARTICLE_V1, ARTICLE_V2

pytestmark = pytest.mark.django_db


def requests_to(server, path: str) -> int:
    return sum(1 for r in server.requests if r.path.split("?")[0] == path)


def test_it_archives_once_even_when_the_task_runs_twice(site):
    source, _ = services.source_for_url(url=site.url("/article.html"))
    first = tasks.source_archive.apply(args=[source.pk]).get()
    second = tasks.source_archive.apply(args=[source.pk]).get()
    assert first == Snapshot.objects.get().pk
    assert second is None
    assert requests_to(site, "/article.html") == 1


def test_it_skips_a_source_another_worker_is_archiving(site):
    from django.db import connections

    source, _ = services.source_for_url(url=site.url("/article.html"))
    other = connections.create_connection("default")  # a second session, like a second worker
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [services._ARCHIVE_LOCK_NAMESPACE, source.pk])
        assert tasks.source_archive.apply(args=[source.pk]).get() is None
        assert requests_to(site, "/article.html") == 0
        with other.cursor() as cursor:
            # Released here, not by closing the session: a closed session's backend may still
            # hold the lock for a moment after the client has gone (this test once failed so).
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [services._ARCHIVE_LOCK_NAMESPACE, source.pk])
            assert cursor.fetchone() == (True,)
    finally:
        other.close()
    assert tasks.source_archive.apply(args=[source.pk]).get() is not None


def test_it_returns_early_when_the_source_is_gone(site):
    assert tasks.source_archive.apply(args=[987654]).get() is None


def test_it_retries_a_transient_error_then_marks_the_source_failed(site, monkeypatch):
    delays = []
    real_backoff = tasks.backoff_seconds
    monkeypatch.setattr(tasks, "backoff_seconds", lambda n: delays.append(real_backoff(n)) or 0)
    source, _ = services.source_for_url(url=site.url("/status/503"))

    tasks.source_archive.apply(args=[source.pk])

    source.refresh_from_db()
    assert requests_to(site, "/status/503") == 1 + tasks.MAX_RETRIES
    assert source.fetch_status == Source.FetchStatus.FAILED
    assert "HTTP 503" in source.fetch_error
    assert len(delays) == tasks.MAX_RETRIES
    assert not Snapshot.objects.exists()


def test_it_does_not_retry_a_permanent_error(site):
    source, _ = services.source_for_url(url=site.url("/status/404"))
    tasks.source_archive.apply(args=[source.pk])
    source.refresh_from_db()
    assert requests_to(site, "/status/404") == 1
    assert source.fetch_status == Source.FetchStatus.FAILED
    assert "HTTP 404" in source.fetch_error


def test_it_backs_off_exponentially_with_jitter_and_a_cap():
    for retries in range(6):
        delay = tasks.backoff_seconds(retries)
        nominal = min(tasks.BACKOFF_BASE_SECONDS * 2**retries, tasks.BACKOFF_CAP_SECONDS)
        assert 0.5 * nominal <= delay <= 1.5 * nominal


# --------------------------------------------------------------------------- link checks


def archived(site, path: str, body: str) -> Source:
    url = site.add_route(path, body)
    source, _ = services.source_for_url(url=url)
    services.source_archive(source_id=source.pk)
    source.refresh_from_db()
    return source


def test_it_reports_an_unchanged_link_as_ok(site):
    source = archived(site, "/story", ARTICLE_V1)
    assert tasks.source_link_check.apply(args=[source.pk]).get() == "ok"
    source.refresh_from_db()
    check = LinkCheck.objects.get()
    assert check.outcome == "ok" and check.http_status == 200
    assert check.old_text_hash == check.new_text_hash != ""
    assert source.link_status == Source.LinkStatus.OK
    assert source.link_checked_at is not None
    assert source.snapshots.count() == 1


def test_it_ignores_changes_outside_the_main_text(site):
    source = archived(site, "/story", ARTICLE_V1)
    site.add_route("/story", ARTICLE_V1.replace("<head>", "<head><!-- ad slot 8841 --><script>var t=9</script>"))
    assert tasks.source_link_check.apply(args=[source.pk]).get() == "ok"


def test_it_archives_a_changed_page_and_records_both_hashes(site):
    source = archived(site, "/story", ARTICLE_V1)
    first = source.snapshots.get()
    site.add_route("/story", ARTICLE_V2)

    assert tasks.source_link_check.apply(args=[source.pk]).get() == "changed"

    source.refresh_from_db()
    check = LinkCheck.objects.get()
    assert check.old_text_hash == services.text_hash(first.text)
    assert check.new_text_hash == services.text_hash(check.snapshot.text)
    assert check.old_text_hash != check.new_text_hash
    assert source.link_status == Source.LinkStatus.CHANGED
    assert source.get_link_status_display() == "Changed since cited"
    assert source.snapshots.count() == 2
    assert "only two schools" in check.snapshot.text
    assert Snapshot.objects.filter(pk=first.pk, text=first.text).exists()  # the old one stays


@pytest.mark.parametrize("status", [404, 410])
def test_it_reports_a_removed_page_as_gone(site, status):
    source = archived(site, "/story", ARTICLE_V1)
    site.add_route("/story", "<html><body>not here</body></html>", status=status)
    assert tasks.source_link_check.apply(args=[source.pk]).get() == "gone"
    source.refresh_from_db()
    check = LinkCheck.objects.get()
    assert check.http_status == status and f"HTTP {status}" in check.error
    assert source.link_status == Source.LinkStatus.GONE
    assert source.get_link_status_display() == "Gone"


def test_it_reports_a_name_that_now_points_inside_as_gone(site, resolve_to, connects):
    resolve_to({"www.gazette.co.uk": "127.0.0.1"})
    site.add_route("/story", ARTICLE_V1)
    source, _ = services.source_for_url(url=f"http://www.gazette.co.uk:{site.port}/story")
    services.source_archive(source_id=source.pk)
    resolve_to({"www.gazette.co.uk": "10.1.2.3"})
    connects.clear()
    assert tasks.source_link_check.apply(args=[source.pk]).get() == "gone"
    assert "10.1.2.3" in LinkCheck.objects.get().error
    assert connects == []


def test_it_keeps_the_status_when_a_check_only_hit_a_server_error(site, monkeypatch):
    monkeypatch.setattr(tasks, "backoff_seconds", lambda n: 0)
    source = archived(site, "/story", ARTICLE_V1)
    Source.objects.filter(pk=source.pk).update(link_status="ok")
    site.add_route("/story", "down", status=503)
    assert tasks.source_link_check.apply(args=[source.pk]).get() == "error"
    source.refresh_from_db()
    assert source.link_status == Source.LinkStatus.OK
    assert requests_to(site, "/story") == 2 + tasks.MAX_RETRIES  # archive + first try + retries


def test_it_skips_a_link_checked_recently(site):
    source = archived(site, "/story", ARTICLE_V1)
    Source.objects.filter(pk=source.pk).update(link_checked_at=timezone.now())
    assert tasks.source_link_check.apply(args=[source.pk]).get() is None
    assert not LinkCheck.objects.exists()


def test_it_enqueues_checks_only_for_cited_sources_that_are_due(editor, settings, monkeypatch):
    from claims.services import evidence_add

    settings.LINK_CHECK_INTERVAL_HOURS = 24
    settings.LINK_CHECK_BATCH_SIZE = 2
    claim = make_claim(editor)
    now = timezone.now()
    never = SourceFactory(link_checked_at=None)
    stale = SourceFactory(link_checked_at=now - timedelta(hours=30))
    stale_too = SourceFactory(link_checked_at=now - timedelta(hours=25))
    fresh = SourceFactory(link_checked_at=now - timedelta(hours=1))
    uncited = SourceFactory(link_checked_at=None)
    offline = SourceFactory(url="", description="Said at a press conference")
    for source in (never, stale, stale_too, fresh, offline):
        evidence_add(actor=editor, claim_id=claim.pk, source=source, stance="supports")
    # cited twice: still one check
    evidence_add(actor=editor, claim_id=claim.pk, source=never, stance="denies", speaker="Another")

    enqueued = []
    monkeypatch.setattr(tasks.source_link_check, "delay", lambda source_id: enqueued.append(source_id))
    assert tasks.links_check_due.apply().get() == 2
    assert enqueued == [never.pk, stale.pk]  # never checked first, then the oldest; bounded batch
    assert uncited.pk not in enqueued

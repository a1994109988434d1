"""Source page, snapshot page and the raw archived body."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sources import services
from sources.models import Source
from tests.sources.archive.conftest import ARTICLE_V1

pytestmark = pytest.mark.django_db

HOSTILE = ARTICLE_V1.replace(
    "<h1>", "<script>document.title='pwned'</script><img src=x onerror=alert(1)><h1>"
)


@pytest.fixture
def archived(site):
    url = site.add_route("/story", HOSTILE)
    source, _ = services.source_for_url(url=url)
    snapshot = services.source_archive(source_id=source.pk)
    return snapshot


def test_it_shows_the_snapshot_metadata_and_text(editor_client, archived):
    url = reverse("sources:snapshot_detail", args=[archived.source_id, archived.pk])
    assert url == f"/sources/{archived.source_id}/snapshots/{archived.pk}/"
    response = editor_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for fact in (archived.final_url, archived.sha256, str(archived.http_status), "no schools in the region"):
        assert fact in html
    assert f"/sources/{archived.source_id}/snapshots/{archived.pk}/raw" in html
    assert "<script>document.title" not in html


def test_it_never_serves_archived_html_as_html(reviewer_client, archived):
    response = reviewer_client.get(f"/sources/{archived.source_id}/snapshots/{archived.pk}/raw")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == HOSTILE.encode()  # the exact archived bytes, inert


def test_it_serves_an_archived_pdf_as_a_download(editor_client, site):
    source, _ = services.source_for_url(url=site.url("/factcheck.pdf"))
    snapshot = services.source_archive(source_id=source.pk)
    response = editor_client.get(f"/sources/{source.pk}/snapshots/{snapshot.pk}/raw")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")


def test_it_hides_snapshots_from_outsiders(client, outsider, archived):
    client.force_login(outsider)
    for url in (
        f"/sources/{archived.source_id}/",
        f"/sources/{archived.source_id}/snapshots/{archived.pk}/",
        f"/sources/{archived.source_id}/snapshots/{archived.pk}/raw",
    ):
        assert client.get(url).status_code in (403, 404), url


def test_it_sends_anonymous_visitors_to_log_in(client, archived):
    response = client.get(f"/sources/{archived.source_id}/snapshots/{archived.pk}/raw")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_it_404s_a_snapshot_under_the_wrong_source(editor_client, archived, site):
    other, _ = services.source_for_url(url=site.url("/other"))
    assert editor_client.get(f"/sources/{other.pk}/snapshots/{archived.pk}/").status_code == 404
    assert editor_client.get(f"/sources/{other.pk}/snapshots/{archived.pk}/raw").status_code == 404


def test_it_lists_snapshots_and_link_checks_in_constant_queries(
    editor_client, archived, site, django_assert_num_queries
):
    source_id = archived.source_id
    for _ in range(3):
        services.source_archive(source_id=source_id, force=True)
    services.source_link_check(source_id=source_id)
    site.add_route("/story", "gone", status=404)
    services.source_link_check(source_id=source_id)
    editor_client.get(f"/sources/{source_id}/")  # warm the session/permission caches
    with django_assert_num_queries(10):  # the top bar's unread count is one
        response = editor_client.get(f"/sources/{source_id}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("/snapshots/") >= 4
    assert "Gone" in html and "HTTP 404" in html


def test_it_shows_why_archiving_failed(editor_client, site):
    source = Source.objects.create(url="https://example.invalid/x", fetch_status="failed",
                                   fetch_error="Refused: example resolves to 10.0.0.5, a private address")
    response = editor_client.get(f"/sources/{source.pk}/")
    assert "10.0.0.5, a private address" in response.content.decode()
    assert "Try archiving again" in response.content.decode()


def test_it_queues_a_fresh_archive_on_request(editor_client, site, django_capture_on_commit_callbacks, monkeypatch):
    from sources import tasks
    from workbench.celery import app

    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, args, kwargs, **o: sent.append((name, args, kwargs)))
    monkeypatch.setattr(tasks.source_archive, "apply_async", lambda *a, **k: sent.append(("forced", a, k)))
    source = Source.objects.create(url=site.url("/story"), fetch_status="failed", fetch_error="x")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"/sources/{source.pk}/archive/", follow=True)
    source.refresh_from_db()
    assert source.fetch_status == "pending" and source.fetch_error == ""
    # A failed source is archiving work again: durable, sent with its ticket.
    assert sent == [("sources.tasks.source_archive", [source.pk],
                     {"ticket": source.archive_queued_at.isoformat()})]
    assert "Archiving queued" in response.content.decode()

    sent.clear()
    Source.objects.filter(pk=source.pk).update(fetch_status="fetched", archive_attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(f"/sources/{source.pk}/archive/", follow=True)
    source.refresh_from_db()
    # A fresh copy of an archived source is durable work too, never a best-effort message.
    assert source.fetch_status == "pending" and source.archive_attempts == 0
    assert sent == [("sources.tasks.source_archive", [source.pk],
                     {"ticket": source.archive_queued_at.isoformat()})]


def test_it_refuses_a_fresh_archive_to_outsiders(client, outsider, site):
    client.force_login(outsider)
    source = Source.objects.create(url=site.url("/story"), fetch_status="fetched")
    assert client.post(f"/sources/{source.pk}/archive/").status_code in (403, 404)


def test_it_never_makes_a_non_web_url_clickable(editor_client):
    source = Source.objects.create(url="javascript:alert(1)", fetch_status="failed")
    html = editor_client.get(f"/sources/{source.pk}/").content.decode()
    assert 'href="javascript:' not in html

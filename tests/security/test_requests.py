"""CSRF on every kind of POST, redirects that stay on site, the raw-snapshot headers, the
report PDF that fetches nothing, and the two-person rule for superusers too."""

from __future__ import annotations

import gzip
import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.models import ActivityEvent, Note

pytestmark = pytest.mark.django_db


def csrf_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def sample_posts(world):
    researching = world.claims["researching"].pk
    return [
        (reverse("claims:claim_new"), {"text": "Forged claim", "claimant": "X", "claimant_kind": "person",
                                       "priority": "2"}),
        (reverse("claims:note_create", args=[researching]), {"body": "Forged note"}),
        (reverse("claims:claim_move", args=[researching]), {"to": "triaged"}),
        (reverse("claims:claim_assign", args=[researching]), {"assignee": "me"}),
        (reverse("claims:claim_bulk"), {"claims": [world.claims["new"].pk], "action": "priority",
                                        "priority": "1"}),
        (reverse("claims:evidence_manual", args=[researching]), {"title": "Forged", "stance": "context"}),
        (reverse("coverage:dismiss", args=[world.suggestion.pk]), {}),
        (reverse("coverage:gather_start", args=[researching]), {}),
        (reverse("reviewing:approve", args=[world.submitted.pk]), {"comments": "ok"}),
        (reverse("reviewing:notifications_read_all"), {}),
        (reverse("sources:feed_toggle", args=[world.feed.pk]), {"active": "0"}),
        (reverse("sources:source_archive", args=[world.source.pk]), {}),
    ]


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_it_refuses_posts_without_a_csrf_token(world, reviewer, htmx):
    client = csrf_client(reviewer)
    headers = {"HX-Request": "true"} if htmx else {}
    events, notes = ActivityEvent.objects.count(), Note.objects.count()
    for url, data in sample_posts(world):
        response = client.post(url, data, headers=headers)
        assert response.status_code == 403, url
        assert b"CSRF" in response.content, url
    assert (ActivityEvent.objects.count(), Note.objects.count()) == (events, notes)


def test_it_accepts_the_same_post_with_the_token_htmx_sends(world, editor):
    """The refusal above is CSRF, not something else: with the token (as base.html's
    hx-headers sends it) the same request goes through."""
    client = csrf_client(editor)
    client.get(reverse("claims:claim_detail", args=[world.claims["researching"].pk]))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("claims:note_create", args=[world.claims["researching"].pk]),
                           {"body": "Real note"}, headers={"X-CSRFToken": token})
    assert response.status_code == 302
    assert Note.objects.filter(body="Real note").exists()


def test_it_refuses_a_forged_login(world, editor):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "erin", "password": "correct horse battery staple"})
    assert response.status_code == 403


@pytest.mark.parametrize("route, data", [
    ("sources:feed_toggle", {"active": "0"}),
    ("sources:feed_poll_now", {}),
    ("claims:claim_move", {"to": "triaged"}),
    ("coverage:dismiss", {}),
])
def test_it_never_redirects_off_site_after_a_post(client, world, admin_user, route, data):
    client.force_login(admin_user)
    kwargs = {
        "sources:feed_toggle": [world.feed.pk], "sources:feed_poll_now": [world.feed.pk],
        "claims:claim_move": [world.claims["new"].pk], "coverage:dismiss": [world.suggestion.pk],
    }[route]
    for target in ("https://evil.example/phish", "//evil.example/", "javascript:alert(1)"):
        response = client.post(reverse(route, args=kwargs), {**data, "next": target})
        assert response.status_code == 302
        assert "evil.example" not in response["Location"] and "javascript" not in response["Location"]


# ----------------------------------------------------------------------- raw snapshots


def _snapshot(source, body: bytes, content_type: str):
    from sources.models import Snapshot

    return Snapshot.objects.create(
        source=source, requested_url=source.url, final_url=source.url, http_status=200,
        content_type=content_type, raw_gzip=gzip.compress(body), raw_size=len(body),
        sha256=hashlib.sha256(body).hexdigest(), fetched_at=timezone.now(),
    )


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "application/xhtml+xml",
                                          "text/html; charset=utf-8", ""])
def test_it_serves_raw_snapshots_so_they_cannot_run_on_our_origin(editor_client, world, content_type):
    body = b"<html><script>alert(document.cookie)</script></html>"
    snapshot = _snapshot(world.source, body, content_type)
    response = editor_client.get(reverse("sources:snapshot_raw", args=[world.source.pk, snapshot.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"].startswith("private")
    assert response["X-Frame-Options"] == "DENY"


def test_it_downloads_raw_pdfs_as_attachments(editor_client, world):
    snapshot = _snapshot(world.source, b"%PDF-1.4 fake", "application/pdf")
    response = editor_client.get(reverse("sources:snapshot_raw", args=[world.source.pk, snapshot.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_it_does_not_serve_a_snapshot_under_another_source(editor_client, world):
    from tests.factories import SourceFactory

    other = SourceFactory()
    response = editor_client.get(reverse("sources:snapshot_raw", args=[other.pk, world.snapshot.pk]))
    assert response.status_code == 404


# ----------------------------------------------------------------------- report PDF


def test_the_report_pdf_fetches_nothing_even_when_the_html_asks(world, editor, web_server, settings):
    """WeasyPrint is given a fetcher that refuses everything: an image, a stylesheet or a
    font URL in the report never becomes a request from the server."""
    from django.utils.safestring import mark_safe

    from claims.exports.reports import claim_report, render_report_pdf

    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    pixel = web_server.url("/pixel.png")
    context = claim_report(claim_id=world.claims["researching"].pk, user=editor)
    context["summary_html"] = mark_safe(
        f'<img src="{pixel}"><link rel="stylesheet" href="{web_server.url("/x.css")}">'
        f'<p style="background: url({web_server.url("/bg.png")})">x</p>'
    )
    context["current_verdict"] = context["latest_version"]
    pdf = render_report_pdf(context)
    assert pdf.startswith(b"%PDF")
    assert web_server.requests == []


def test_the_report_pdf_renders_hostile_text(editor_client, hostile_world):
    response = editor_client.get(reverse("exports:claim_report_pdf", args=[hostile_world.published.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"


# ----------------------------------------------------------------------- two-person rule


def test_a_superuser_reviewer_cannot_approve_their_own_verdict(client, admin_user, world):
    from claims import services
    from claims.models import VerdictVersion
    from claims.reviewing import services as reviewing
    from tests.factories import SourceFactory, make_claim, walk_claim_to

    claim = walk_claim_to(make_claim(admin_user, text="Own work"), "researching", actor=admin_user)
    evidence = services.evidence_add(actor=admin_user, claim_id=claim.pk, source=SourceFactory(),
                                     stance="supports")
    version = reviewing.verdict_save_draft(
        actor=admin_user, claim_id=claim.pk, based_on_id=None, cited_evidence_ids=[evidence.pk],
        rating=world.approved.rating, headline="Mine", summary_md="Mine.", reasoning="",
        denial_waiver_reason="Nobody to ask.", correction_note="")
    reviewing.verdict_submit(actor=admin_user, version_id=version.pk)
    client.force_login(admin_user)
    client.post(reverse("reviewing:approve", args=[version.pk]), {"comments": "self"})
    assert VerdictVersion.objects.get(pk=version.pk).state == "submitted"
    claim.refresh_from_db()
    assert claim.status != "published"


# ----------------------------------------------------------------------- hostile input


def test_it_refuses_script_links_where_a_url_is_typed(editor_client, world):
    from claims.models import Claim
    from sources.models import Source

    claims = Claim.objects.count()
    response = editor_client.post(reverse("claims:claim_new"), {
        "text": "A claim with a script link", "claimant": "X", "claimant_kind": "person",
        "priority": "2", "said_url": "javascript:alert(1)",
    })
    assert response.status_code == 400
    assert Claim.objects.count() == claims
    sources = Source.objects.count()
    for url in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd"):
        response = editor_client.post(
            reverse("claims:evidence_attach", args=[world.claims["researching"].pk]),
            {"url": url, "stance": "supports"},
        )
        assert response.status_code in (200, 400), url
        assert Source.objects.count() == sources, url


@pytest.mark.parametrize("query", [
    "sort=;DROP TABLE claims_claim", "page=abc", "page=-1", "per_page=-5", "per_page=99999",
    "assignee=abc", "status=nonsense", "tag=%00", "q=%27%22%3C", "said_from=not-a-date",
    "q=" + "x" * 5000,
])
def test_it_survives_hostile_queue_parameters(editor_client, world, query):
    response = editor_client.get("/?" + query)
    assert response.status_code in (200, 400)

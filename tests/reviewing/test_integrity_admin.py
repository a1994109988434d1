"""The admin cannot bypass the desk: published claims, evidence, sources with snapshots and the
activity log are read-only there, superusers included."""

import pytest
from django.urls import reverse

from claims.models import ActivityEvent, Claim, Evidence
from sources.models import Source
from tests.exports.builders import snapshot_for
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_a_published_claim_cannot_be_changed_or_deleted_in_the_admin(client, published_claim, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:claims_claim_change", args=[published_claim.pk])
    page = client.get(url).content.decode()
    assert 'name="text"' not in page and 'name="claimant"' not in page
    assert "propose a correction on the Verdict tab" in page
    response = client.post(url, {"text": "Quietly changed", "claimant": "X", "claimant_kind": "person",
                                 "priority": "1"})
    assert response.status_code == 403
    assert client.post(reverse("admin:claims_claim_delete", args=[published_claim.pk]),
                       {"post": "yes"}).status_code == 403
    claim = Claim.objects.get(pk=published_claim.pk)
    assert claim.text == published_claim.text and claim.claimant == published_claim.claimant


def test_cited_evidence_cannot_be_changed_or_deleted_in_the_admin(client, published_claim, admin_user):
    evidence = Evidence.objects.filter(claim=published_claim).first()
    client.force_login(admin_user)
    url = reverse("admin:claims_evidence_change", args=[evidence.pk])
    page = client.get(url).content.decode()
    assert 'name="stance"' not in page and 'name="quote"' not in page
    assert client.post(url, {"stance": "context", "quote": "Changed"}).status_code == 403
    assert client.post(reverse("admin:claims_evidence_delete", args=[evidence.pk]),
                       {"post": "yes"}).status_code == 403
    evidence.refresh_from_db()
    assert evidence.stance != "context" and evidence.quote != "Changed"


def test_the_activity_log_is_read_only_and_shows_what_changed(client, claim, editor, admin_user):
    from claims import services

    services.claim_update(actor=editor, claim_id=claim.pk, expected_revision=claim.revision,
                          claimant="U.S. State Department")
    event = ActivityEvent.objects.get(claim=claim, verb="edited")
    client.force_login(admin_user)
    url = reverse("admin:claims_activityevent_change", args=[event.pk])
    page = client.get(url).content.decode()
    assert "<del>U.S. officials</del> → <ins>U.S. State Department</ins>" in page
    assert client.post(url, {"verb": "logged"}).status_code == 403
    assert client.post(reverse("admin:claims_activityevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:claims_activityevent_add")).status_code == 403
    assert ActivityEvent.objects.get(pk=event.pk).verb == "edited"


def test_a_source_with_snapshots_is_read_only_in_the_admin(client, admin_user):
    source = SourceFactory(url="https://news.example/archived", title="Archived story")
    snapshot_for(source, body=b"<html><body>What the page said</body></html>")
    client.force_login(admin_user)
    url = reverse("admin:sources_source_change", args=[source.pk])
    page = client.get(url).content.decode()
    assert 'name="url"' not in page and 'name="title"' not in page
    client.post(url, {"url": "https://evil.example/", "title": "Rewritten", "kind": "article"})
    source.refresh_from_db()
    assert (source.url, source.title) == ("https://news.example/archived", "Archived story")
    assert client.post(reverse("admin:sources_source_delete", args=[source.pk]), {"post": "yes"}).status_code == 403


def test_a_source_without_snapshots_stays_editable_in_the_admin(client, admin_user):
    source = SourceFactory(url="https://news.example/not-yet", title="Not archived")
    client.force_login(admin_user)
    response = client.post(reverse("admin:sources_source_change", args=[source.pk]), {
        "url": "https://news.example/not-yet", "title": "Fixed title", "kind": "article",
        "description": "", "author": "", "text": "",
    })
    assert response.status_code == 302
    assert Source.objects.get(pk=source.pk).title == "Fixed title"

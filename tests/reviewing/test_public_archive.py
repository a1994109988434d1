"""Readers can check the archive: the public fact-check links each cited source to a read-only
page with the archived copy's extracted text, SHA-256, fetch time and final URL. Only copies
cited by a published verdict are reachable; the raw bytes stay on the desk."""

import gzip
import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services as claim_services
from claims.models import Evidence
from claims.reviewing import selectors
from sources.models import Snapshot
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def archive(source, text: str, *, when):
    body = f"<html><body><p>{text}</p></body></html>".encode()
    return Snapshot.objects.create(
        source=source, requested_url=source.url, final_url=source.url + "?final", http_status=200,
        content_type="text/html", raw_gzip=gzip.compress(body), raw_size=len(body),
        sha256=hashlib.sha256(body).hexdigest(), text=text, fetched_at=when,
    )


@pytest.fixture
def archived(published_claim):
    version = selectors.approved_version(published_claim)
    denial = Evidence.objects.get(claim=published_claim, stance="denies")
    before = archive(denial.source, "Beijing called the reports disinformation.",
                     when=version.published_at - timedelta(hours=2))
    later = archive(denial.source, "The page was rewritten after we published.",
                    when=version.published_at + timedelta(days=3))
    return {"claim": published_claim, "denial": denial, "cited": before, "later": later}


def _url(claim, snapshot):
    return reverse("public:archived_copy", args=[claim.slug, snapshot.pk])


def test_the_public_page_links_each_cited_source_to_its_archived_copy(client, archived):
    page = client.get(reverse("public:detail", args=[archived["claim"].slug])).content.decode()
    assert _url(archived["claim"], archived["cited"]) in page
    assert archived["cited"].sha256 in page
    assert _url(archived["claim"], archived["later"]) not in page


def test_the_archived_copy_shows_text_hash_time_and_final_url(client, archived):
    response = client.get(_url(archived["claim"], archived["cited"]))
    assert response.status_code == 200
    page = response.content.decode()
    snapshot = archived["cited"]
    assert "Beijing called the reports disinformation." in page
    assert snapshot.sha256 in page
    assert snapshot.final_url in page
    assert f'datetime="{snapshot.fetched_at.isoformat()}"' in page
    assert reverse("sources:snapshot_raw", args=[snapshot.source_id, snapshot.pk]) not in page
    assert "<script>" not in page.split("</head>")[1]


def test_copies_not_cited_by_the_published_verdict_are_not_reachable(client, archived, editor):
    claim = archived["claim"]
    # A later copy of the same source, and a copy of a source no published verdict cites.
    assert client.get(_url(claim, archived["later"])).status_code == 404
    uncited = SourceFactory(url="https://news.example/uncited")
    claim_services.evidence_add(actor=editor, claim_id=claim.pk, source=uncited, stance="context")
    private = archive(uncited, "Desk-only research", when=timezone.now())
    assert client.get(_url(claim, private)).status_code == 404
    # Through another published claim's slug: still only what that claim cites.
    assert client.get(reverse("public:archived_copy", args=["no-such-claim", archived["cited"].pk])).status_code == 404


def test_a_taken_down_fact_check_takes_its_archive_with_it(client, archived, editor):
    claim = archived["claim"]
    claim_services.claim_change_status(actor=editor, claim_id=claim.pk, to_status="in_review")
    assert client.get(_url(claim, archived["cited"])).status_code == 404


def test_without_an_archive_the_page_says_so(client, published_claim):
    page = client.get(reverse("public:detail", args=[published_claim.slug])).content.decode()
    assert "No archived copy." in page

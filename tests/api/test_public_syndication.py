"""ClaimReview carries the rating's explanation and each appearance's archived copy; the
published fact-checks are offered as RSS (/fact-checks/feed.xml) and in a sitemap."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.reviewing.claimreview import claimreview_for
from sources.models import Snapshot
from tests.factories import SourceFactory, make_claim, publish_claim, walk_claim_to

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def fact_check(editor, editor2, reviewer):
    claim = walk_claim_to(make_claim(editor, text="Russia asked China for drones & <arms>.",
                                     said_url="https://www.state.gov/briefing"),
                          "researching", actor=editor)
    carried = SourceFactory(url="https://news.example/us-claim")
    services.evidence_add(actor=editor, claim_id=claim.pk, source=carried, stance="supports",
                          speaker="U.S. officials")
    services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(),
                          stance="denies", speaker="Beijing", speaker_is_party=True)
    snapshot = Snapshot.objects.create(
        source=carried, requested_url=carried.url, final_url=carried.url, http_status=200,
        raw_gzip=b"", raw_size=0, sha256="b" * 64, fetched_at=timezone.now(),
    )
    claim = publish_claim(claim, author=editor2, reviewer=reviewer,
                          summary_md="Officials have **not** shown evidence.")
    return claim, snapshot


def test_claimreview_explains_the_rating_and_links_archived_copies(fact_check, settings):
    claim, snapshot = fact_check
    review = claimreview_for(claim)
    assert review["reviewRating"]["ratingExplanation"] == "Officials have not shown evidence."
    appearances = {a["url"]: a for a in review["itemReviewed"]["appearance"]}
    archived = appearances["https://news.example/us-claim"]["archivedAt"]
    assert archived == settings.NEWSROOM_URL.rstrip("/") + reverse(
        "public:archived_copy", args=[claim.slug, snapshot.pk])
    assert "archivedAt" not in appearances["https://www.state.gov/briefing"]  # never archived


def test_the_archived_copy_it_names_is_public(fact_check, client, settings):
    claim, _ = fact_check
    archived = claimreview_for(claim)["itemReviewed"]["appearance"][1]["archivedAt"]
    assert client.get(archived.removeprefix(settings.NEWSROOM_URL.rstrip("/"))).status_code == 200


def test_the_rss_feed_lists_published_fact_checks_only(fact_check, client, editor):
    claim, _ = fact_check
    make_claim(editor, text="An unpublished claim")
    response = client.get(reverse("public:rss"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert len(items) == 1
    assert items[0].findtext("title") == f"Unproven: {claim.text}"
    assert items[0].findtext("link").endswith(f"/fact-checks/{claim.slug}/")
    assert "Officials have not shown evidence." in items[0].findtext("description")


def test_the_sitemap_lists_the_public_pages(fact_check, client, editor):
    claim, _ = fact_check
    make_claim(editor, text="An unpublished claim")
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = [u.findtext(f"{SITEMAP}loc") for u in root.findall(f"{SITEMAP}url")]
    assert [loc.split("/", 3)[3] for loc in locations] == ["fact-checks/", f"fact-checks/{claim.slug}/"]
    lastmod = root.findall(f"{SITEMAP}url")[1].findtext(f"{SITEMAP}lastmod")
    assert lastmod == claim.published_at.date().isoformat()

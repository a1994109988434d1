import json

import extruct
import pytest
from django.utils import timezone

from claims.models import VerdictVersion
from claims.reviewing import services
from claims.reviewing.claimreview import claimreview_for
from claims.reviewing.markdown import render_markdown
from sources.models import Snapshot
from tests.factories import make_claim, walk_claim_to
from tests.reviewing.conftest import draft_for, published, submitted_for

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


def _claimreviews(html: str) -> list[dict]:
    data = extruct.extract(html, base_url=BASE, syntaxes=["json-ld"])["json-ld"]
    return [item for item in data if item.get("@type") == "ClaimReview"]


def test_the_public_page_embeds_a_complete_claimreview(client, published_claim, settings):
    response = client.get(f"/fact-checks/{published_claim.slug}/")
    assert response.status_code == 200
    [review] = _claimreviews(response.content.decode())
    for field in ["url", "claimReviewed", "datePublished", "author", "reviewRating", "itemReviewed"]:
        assert review[field], field
    assert review["url"] == f"{settings.NEWSROOM_URL}/fact-checks/{published_claim.slug}/"
    assert review["claimReviewed"] == published_claim.text
    assert review["author"] == {
        "@type": "Organization", "name": settings.NEWSROOM_NAME, "url": settings.NEWSROOM_URL
    }
    rating = review["reviewRating"]
    assert rating["alternateName"] == "Unproven"
    assert rating["bestRating"] >= rating["ratingValue"] >= rating["worstRating"]
    assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Organization", "name": "U.S. officials"}
    assert item["datePublished"] == "2022-03-13"  # when it was said, not when checked
    urls = [a["url"] for a in item["appearance"]]
    assert urls[0] == "https://www.state.gov/briefing-2022-03-13"
    assert "https://news.example/us-claim" in urls
    assert "https://news.example/denial" not in urls  # a refutation is not an appearance
    assert item["firstAppearance"]["url"] == "https://www.state.gov/briefing-2022-03-13"
    assert review["inLanguage"] == settings.NEWSROOM_LANGUAGE


def test_the_page_shows_the_verdict_sources_snapshots_and_denials(client, published_claim):
    source = published_claim.evidence.get(stance="supports").source
    snapshot = Snapshot.objects.create(
        source=source, requested_url=source.url, final_url=source.url, http_status=200,
        raw_gzip=b"", raw_size=0, sha256="a" * 64, fetched_at=timezone.now(),
    )
    response = client.get(f"/fact-checks/{published_claim.slug}/")
    html = response.content.decode()
    assert "No public evidence for the request" in html
    assert "<strong>not</strong>" in html
    assert snapshot.sha256 in html and source.url in html
    assert f"/sources/{source.pk}/snapshots/{snapshot.pk}/" not in html  # login-only link
    assert "These claims are disinformation" in html
    assert "Briefing in Washington" in html


def test_the_json_ld_cannot_break_out_of_its_script_tag(client, editor, reviewer):
    claim = walk_claim_to(
        make_claim(editor, text="It is </script><script>alert(1)</script> true"), "researching",
        actor=editor,
    )
    from claims import services as claim_services
    from tests.factories import SourceFactory

    claim_services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(), stance="denies")
    claim = published(claim, editor, reviewer)
    html = client.get(f"/fact-checks/{claim.slug}/").content.decode()
    assert "<script>alert(1)" not in html
    [review] = _claimreviews(html)
    assert review["claimReviewed"] == claim.text


def test_the_summary_is_sanitised(client, claim, editor, reviewer):
    evil = "Hello <script>alert('x')</script> [click](javascript:alert(1)) <a href=\"javascript:x\">y</a>"
    rendered = str(render_markdown(evil))
    assert "<script" not in rendered and "javascript:" not in rendered
    claim = published(claim, editor, reviewer, summary_md=evil)
    html = client.get(f"/fact-checks/{claim.slug}/").content.decode()
    assert "alert('x')" not in html and "javascript:" not in html


def test_anonymous_visitors_get_404_for_anything_unpublished(client, claim, editor, reviewer):
    draft = draft_for(claim, editor)
    assert client.get(f"/fact-checks/{claim.pk}/").status_code == 404
    assert client.get("/fact-checks/russia-asked-china-for-military-assistance/").status_code == 404
    assert client.get("/fact-checks/russia-asked-china-for-military-assistance/claimreview.json").status_code == 404
    services.verdict_submit(actor=editor, version_id=draft.pk)
    assert client.get("/fact-checks/russia-asked-china-for-military-assistance/").status_code == 404
    assert claimreview_for(claim) is None
    feed = client.get("/fact-checks/claimreview.json").json()
    assert feed["count"] == 0 and feed["results"] == []
    # Desk pages stay behind the login.
    assert client.get(f"/claims/{claim.pk}/verdict/").status_code == 302


def test_a_pending_correction_does_not_leak(client, published_claim, editor):
    v1 = published_claim.verdict_versions.get()
    submitted_for(published_claim, editor, based_on_id=v1.pk, headline="SECRET NEW HEADLINE",
                  correction_note="Pending note")
    html = client.get(f"/fact-checks/{published_claim.slug}/").content.decode()
    assert "SECRET NEW HEADLINE" not in html and "Pending note" not in html
    assert "No public evidence for the request" in html
    assert claimreview_for(published_claim)["headline"] == "No public evidence for the request"


def test_approved_corrections_are_listed_with_dates(client, published_claim, editor, reviewer):
    v1 = published_claim.verdict_versions.get()
    v2 = submitted_for(published_claim, editor, based_on_id=v1.pk, headline="Corrected headline",
                       correction_note="We corrected the briefing date.")
    services.verdict_approve(actor=reviewer, version_id=v2.pk)
    html = client.get(f"/fact-checks/{published_claim.slug}/").content.decode()
    assert "Corrected headline" in html
    assert "We corrected the briefing date." in html
    v2.refresh_from_db()
    assert v2.published_at.strftime("%-d %B %Y") in html


def test_the_feed_lists_only_published_claims_newest_first_and_pages(client, editor, reviewer, claim, settings):
    published(claim, editor, reviewer)
    second = walk_claim_to(make_claim(editor, text="Second claim"), "researching", actor=editor)
    from claims import services as claim_services
    from tests.factories import SourceFactory

    claim_services.evidence_add(actor=editor, claim_id=second.pk, source=SourceFactory(), stance="denies")
    published(second, editor, reviewer)
    walk_claim_to(make_claim(editor, text="Unpublished claim"), "researching", actor=editor)
    from claims.reviewing import public_views

    public_views.FEED_PAGE_SIZE, old = 1, public_views.FEED_PAGE_SIZE
    try:
        first_page = client.get("/fact-checks/claimreview.json").json()
        assert first_page["count"] == 2
        assert [r["claimReviewed"] for r in first_page["results"]] == ["Second claim"]
        assert first_page["previous"] is None
        second_page = client.get(first_page["next"]).json()
        assert [r["claimReviewed"] for r in second_page["results"]] == [claim.text]
        assert second_page["next"] is None and second_page["previous"]
    finally:
        public_views.FEED_PAGE_SIZE = old
    single = client.get(f"/fact-checks/{claim.slug}/claimreview.json")
    assert single["Content-Type"].startswith("application/ld+json")
    assert json.loads(single.content)["claimReviewed"] == claim.text


def test_the_list_is_paginated_with_a_fixed_number_of_queries(client, published_claim, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/fact-checks/")
    assert response.status_code == 200
    assert "No public evidence for the request" in response.content.decode()


def test_claimreview_for_returns_none_unless_published(claim, editor):
    assert claimreview_for(claim) is None
    assert VerdictVersion.objects.count() == 0

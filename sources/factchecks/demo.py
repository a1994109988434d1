"""The demo newsroom's prior fact-checks: a small ClaimReview feed from a FICTIONAL
fact-checker (``.example`` domains), served by the app in debug mode and polled like any
other publisher's feed. The texts are short demo texts written for FactDesk about the seed
story (March 2022): the U.S. claim that Russia asked China for military aid could not be
verified from public sources at the time; a claim that China had agreed to send weapons had
no evidence behind it."""

from __future__ import annotations

from django.conf import settings

from sources.factchecks.parsing import claimreviews_from_json

DEMO_CLAIMREVIEW_PATH = "/demo-feed/claimreview.json"
DEMO_PUBLISHER = {"@type": "Organization", "name": "Lantern Fact Check (demo)",
                  "url": "https://lanternfactcheck.example/"}


def _review(slug: str, claim: str, claimant: str, said_on: str, reviewed_on: str, rating: str,
            value: int, language: str = "en") -> dict:
    return {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": f"https://lanternfactcheck.example/checks/{slug}",
        "claimReviewed": claim, "datePublished": reviewed_on, "inLanguage": language,
        "author": DEMO_PUBLISHER,
        "itemReviewed": {"@type": "Claim", "datePublished": said_on,
                         "author": {"@type": "Organization", "name": claimant}},
        "reviewRating": {"@type": "Rating", "alternateName": rating, "ratingValue": value,
                         "bestRating": 5, "worstRating": 1},
    }


DEMO_CLAIMREVIEWS: list[dict] = [
    _review("russia-asked-china-military-aid",
            "Russia asked China for military equipment and economic help after invading Ukraine.",
            "U.S. officials", "2022-03-13", "2022-03-15", "Unproven", 3),
    _review("china-agreed-to-send-weapons",
            "China has agreed to send weapons to Russia for the war in Ukraine.",
            "Social media posts", "2022-03-15", "2022-03-17", "False", 1),
    _review("russland-bat-china-um-militaerhilfe",
            "Russland hat China um Militärhilfe gebeten.",
            "US-Regierungsvertreter", "2022-03-14", "2022-03-16", "Unbelegt", 3, language="de"),
]


def demo_claimreview_feed() -> dict:
    return {"results": DEMO_CLAIMREVIEWS, "next": None}


def demo_claimreview_url() -> str:
    return settings.NEWSROOM_URL.rstrip("/") + DEMO_CLAIMREVIEW_PATH


def seed_demo_factchecks():
    """Register the demo fact-checker's feed and record its reviews now, in-process (the
    worker polls it later like any feed). Idempotent; returns ``(feed, report)``."""
    import json

    from django.db import transaction

    from sources.factchecks.models import PriorFactCheckOrigin
    from sources.factchecks.services import prior_factchecks_record
    from sources.models import Feed, FeedKind

    url = demo_claimreview_url()
    parsed = claimreviews_from_json(json.dumps(demo_claimreview_feed()), url=url)
    with transaction.atomic():
        feed, _ = Feed.objects.get_or_create(
            url=url, query="",
            defaults={"kind": FeedKind.CLAIMREVIEW, "title": "Lantern Fact Check (demo): ClaimReview feed",
                      "interval_minutes": 60},
        )
        report = prior_factchecks_record(parsed.reviews, origin=PriorFactCheckOrigin.FEED, imported_from=url)
    report.pages = 1  # the feed's one page, read in-process
    return feed, report

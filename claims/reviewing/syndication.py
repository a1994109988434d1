"""Published fact-checks for machines that are not ClaimReview readers: an RSS 2.0 feed
(``/fact-checks/feed.xml``) and a sitemap of the public pages (``/sitemap.xml``). Public,
like the pages they list; nothing unpublished appears."""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.views.decorators.http import require_GET

from claims.reviewing import selectors
from claims.reviewing.claimreview import public_url, rating_explanation

FEED_ITEMS = 50
SITEMAP_LIMIT = 50_000  # the sitemap protocol's cap per file


def _base() -> str:
    return settings.NEWSROOM_URL.rstrip("/")


@login_not_required
@require_GET
def fact_checks_rss(request):
    """The newest published fact-checks: title, rating, the verdict's explanation, the date."""
    feed = Rss201rev2Feed(
        title=f"{settings.NEWSROOM_NAME}: fact-checks",
        link=_base() + reverse("public:list"),
        description=f"Fact-checks published by {settings.NEWSROOM_NAME}.",
        language=settings.NEWSROOM_LANGUAGE,
        feed_url=_base() + reverse("public:rss"),
    )
    claims = selectors.with_public_verdicts(selectors.published_claims())[:FEED_ITEMS]
    for claim in claims:
        version = claim.approved_versions[0]
        feed.add_item(
            title=f"{version.rating.label}: {claim.text}",
            link=public_url(claim),
            unique_id=public_url(claim),
            description=f"{version.headline}. {rating_explanation(version)}",
            pubdate=claim.published_at,
            updateddate=version.published_at,
            author_name=claim.claimant,
            categories=[version.rating.label],
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response


@login_not_required
@require_GET
def sitemap(request):
    """The public pages: the fact-check list and each published fact-check, with the date
    it last changed (a correction changes it)."""
    rows = [(_base() + reverse("public:list"), None)]
    claims = selectors.with_public_verdicts(selectors.published_claims())[:SITEMAP_LIMIT]
    for claim in claims:
        changed = max(filter(None, [claim.published_at, claim.approved_versions[0].published_at]))
        rows.append((public_url(claim), changed))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for location, changed in rows:
        lastmod = f"<lastmod>{changed.date().isoformat()}</lastmod>" if changed else ""
        lines.append(f"<url><loc>{escape(location)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return HttpResponse("\n".join(lines), content_type="application/xml; charset=utf-8")

"""schema.org ClaimReview for published fact-checks.

``claimreview_for(claim)`` is the contract other features use (the exports command among
them): a JSON-ready dict for a published claim, or None for anything the public may not see.

Ratings: ``ratingValue`` is the rating's ``rating_value`` (higher = truer); ``bestRating``
and ``worstRating`` are the highest and lowest values on the whole scale (5 and 1 by
default); ``alternateName`` is the label (see migration 0005 for how Misleading and
Unproven map onto the numbers).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.urls import reverse

from claims.models import Claim, ClaimantKind, ClaimStatus, Stance, VerdictVersion
from claims.reviewing import selectors
from sources.validators import is_web_url


def public_url(claim: Claim) -> str:
    return settings.NEWSROOM_URL.rstrip("/") + reverse("public:detail", args=[claim.slug])


def _organisation() -> dict:
    return {"@type": "Organization", "name": settings.NEWSROOM_NAME, "url": settings.NEWSROOM_URL}


def _archived_copies(claim: Claim, version: VerdictVersion) -> dict[str, str]:
    """{URL: the public address of our archived copy} for the pages the verdict cites."""
    snapshots = selectors.cited_snapshots(version)
    base = settings.NEWSROOM_URL.rstrip("/")
    return {
        evidence.source.url: base + reverse("public:archived_copy",
                                            args=[claim.slug, snapshots[evidence.source_id].pk])
        for evidence in version.cited_evidence.all()
        if evidence.source.url and evidence.source_id in snapshots
    }


def _appearances(claim: Claim, version: VerdictVersion) -> list[dict]:
    """Where the claim appears: where it was said, then cited sources that carry it
    (supporting or context evidence; refutations are about the claim, not appearances).
    Each page we archived carries ``archivedAt``: our copy, which outlives link rot."""
    seen, works = set(), []
    archived = _archived_copies(claim, version)
    if is_web_url(claim.said_url):
        seen.add(claim.said_url)
        work = {"@type": "CreativeWork", "url": claim.said_url}
        if claim.said_on:
            work["datePublished"] = claim.said_on.isoformat()
        works.append(work)
    for evidence in version.cited_evidence.all():
        url = evidence.source.url
        if evidence.stance == Stance.DENIES or not is_web_url(url) or url in seen:
            continue
        seen.add(url)
        work = {"@type": "CreativeWork", "url": url}
        if evidence.source.title:
            work["headline"] = evidence.source.title
        if evidence.source.published_at:
            work["datePublished"] = evidence.source.published_at.date().isoformat()
        works.append(work)
    for work in works:
        if work["url"] in archived:
            work["archivedAt"] = archived[work["url"]]
    return works


def rating_explanation(version: VerdictVersion) -> str:
    """The verdict's summary as plain text (its Markdown rendered, then stripped), or its
    headline when it has no summary: schema.org's ``ratingExplanation``."""
    from django.utils.html import strip_tags

    from claims.reviewing.markdown import render_markdown

    text = " ".join(strip_tags(render_markdown(version.summary_md or "")).split())
    return text or version.headline


def _first_appearance(claim: Claim, appearances: list[dict]) -> dict | None:
    if is_web_url(claim.said_url):
        return appearances[0]
    dated = [a for a in appearances if a.get("datePublished")]
    if dated:
        return min(dated, key=lambda a: a["datePublished"])
    if appearances:
        return appearances[0]
    if claim.said_where:  # said offline: describe the occasion
        work = {"@type": "CreativeWork", "name": claim.said_where}
        if claim.said_on:
            work["datePublished"] = claim.said_on.isoformat()
        return work
    return None


def build_claimreview(claim: Claim, version: VerdictVersion, bounds: tuple[int, int]) -> dict:
    """The ClaimReview dict for ``claim`` given its approved ``version`` (no access checks)."""
    worst, best = bounds
    claim_author_type = "Organization" if claim.claimant_kind == ClaimantKind.ORGANIZATION else "Person"
    item = {"@type": "Claim", "author": {"@type": claim_author_type, "name": claim.claimant}}
    if claim.said_on:
        item["datePublished"] = claim.said_on.isoformat()
    appearances = _appearances(claim, version)
    if appearances:
        item["appearance"] = appearances
    first = _first_appearance(claim, appearances)
    if first:
        item["firstAppearance"] = first
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": public_url(claim),
        "claimReviewed": claim.text,
        "headline": version.headline,
        "datePublished": (claim.published_at or version.published_at).date().isoformat(),
        "author": _organisation(),
        "publisher": _organisation(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": version.rating.rating_value,
            "bestRating": max(best, version.rating.rating_value),
            "worstRating": min(worst, version.rating.rating_value),
            "alternateName": version.rating.label,
            "ratingExplanation": rating_explanation(version),
        },
        "itemReviewed": item,
        "inLanguage": settings.NEWSROOM_LANGUAGE,
    }
    if version.published_at and claim.published_at and version.published_at > claim.published_at:
        review["dateModified"] = version.published_at.date().isoformat()
    corrections = selectors.corrections_for(claim)
    if corrections:
        # schema.org CreativeWork.correction: each published correction, with its date.
        review["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.correction_note,
                "datePublished": correction.published_at.date().isoformat(),
            }
            for correction in corrections
        ]
        latest = corrections[-1].published_at.date().isoformat()
        review["dateModified"] = max(review.get("dateModified", latest), latest)
    return review


def _public_version(claim: Claim) -> VerdictVersion | None:
    """The approved version, from the prefetch of selectors.with_public_verdicts if present."""
    prefetched = getattr(claim, "approved_versions", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return selectors.approved_version(claim)


def claimreview_for(claim: Claim, *, bounds: tuple[int, int] | None = None) -> dict | None:
    """ClaimReview for a published claim; None if it is not published (or has no approved
    verdict or slug). Pass ``bounds`` (selectors.rating_scale_bounds()) when building many."""
    if claim is None or claim.status != ClaimStatus.PUBLISHED or not claim.slug:
        return None
    version = _public_version(claim)
    if version is None:
        return None
    return build_claimreview(claim, version, bounds or selectors.rating_scale_bounds())


def json_for_script(data) -> str:
    """JSON safe to place inside <script>: no "</", "<!--" or "&" can end or confuse the tag."""
    return (
        json.dumps(data, ensure_ascii=False, indent=2)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )

"""The claim report: one selector builds its context, shared by the HTML page, the PDF
and anything else that needs a claim's full record (a fixed number of queries, however
much evidence or history the claim has)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from claims.activity import activity_rows
from claims.models import (
    ActivityEvent,
    Claim,
    ClaimStatus,
    Evidence,
    Review,
    Stance,
    VerdictState,
    VerdictVersion,
)
from claims.permissions import can_edit_claims, can_review_claims
from claims.reviewing.markdown import render_markdown
from sources.selectors import snapshots_latest

# Report headings for each stance, in the order a reader needs them.
STANCE_GROUPS = (
    (Stance.SUPPORTS, "Supporting"),
    (Stance.DENIES, "Denials and refutations"),
    (Stance.CONTEXT, "Context"),
)


def can_view_reports(user) -> bool:
    """Reports and exports carry unpublished work: the desk (editors, reviewers) only."""
    return can_edit_claims(user) or can_review_claims(user)


def public_url_for(claim: Claim) -> str:
    if claim.status != ClaimStatus.PUBLISHED or not claim.slug:
        return ""
    return f"{settings.NEWSROOM_URL.rstrip('/')}/fact-checks/{claim.slug}/"


@dataclass
class EvidenceGroup:
    stance: str
    label: str
    items: list


def _report_queryset():
    evidence = Prefetch(
        "evidence",
        queryset=Evidence.objects.active()
        .select_related("source__outlet", "added_by")
        .order_by("added_at", "id"),
        to_attr="report_evidence",
    )
    removed = Prefetch(
        "evidence",
        queryset=Evidence.objects.removed()
        .select_related("source", "removed_by")
        .order_by("removed_at", "id"),
        to_attr="report_removed_evidence",
    )
    versions = Prefetch(
        "verdict_versions",
        queryset=VerdictVersion.objects.select_related("rating", "author", "reviewed_by")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer").order_by("at"))
        )
        .order_by("-number"),
        to_attr="report_versions",
    )
    timeline = Prefetch(
        "activity",
        queryset=ActivityEvent.objects.select_related("actor").order_by("at", "id"),
        to_attr="report_timeline",
    )
    return Claim.objects.select_related("assignee", "created_by", "duplicate_of").prefetch_related(
        "tags", evidence, removed, versions, timeline
    )


def claim_report(*, claim_id: int, user) -> dict:
    """Everything a claim report shows. Raises Http404 for a missing claim and for anyone
    outside the desk (an outsider cannot tell whether the claim exists)."""
    if not can_view_reports(user):
        raise Http404("No claim found.")
    try:
        claim = _report_queryset().get(pk=claim_id)
    except Claim.DoesNotExist:
        raise Http404("No claim found.") from None

    # Only what the report prints of each source's latest copy: never the archived body.
    latest = snapshots_latest(source_ids={item.source_id for item in claim.report_evidence})
    for item in claim.report_evidence:
        item.snapshot = latest.get(item.source_id)
    groups = [
        EvidenceGroup(
            stance=stance,
            label=label,
            items=[e for e in claim.report_evidence if e.stance == stance],
        )
        for stance, label in STANCE_GROUPS
    ]
    versions = claim.report_versions  # newest first
    current = next((v for v in versions if v.state == VerdictState.APPROVED), None)
    return {
        "claim": claim,
        "tags": list(claim.tags.all()),
        "current_verdict": current,
        "summary_html": render_markdown(current.summary_md) if current else "",
        "latest_version": versions[0] if versions else None,
        "versions": versions,
        "evidence_groups": groups,
        "evidence_count": len(claim.report_evidence),
        "removed_evidence": claim.report_removed_evidence,
        "timeline": activity_rows(claim.report_timeline),
        "public_url": public_url_for(claim),
        "generated_at": timezone.now(),
        "newsroom_name": settings.NEWSROOM_NAME,
    }


def report_filename(claim: Claim, extension: str) -> str:
    """ASCII-only, so every browser and mail client keeps it: claim-42-russia-asked-china.pdf"""
    words = slugify(claim.text)
    if len(words) > 40:
        words = words[:41].rsplit("-", 1)[0]  # cut at a word boundary
    return f"claim-{claim.pk}{'-' + words if words else ''}.{extension}"


@lru_cache(maxsize=1)
def _report_css() -> str:
    """The design system and the report stylesheet, inlined so WeasyPrint needs no fetches."""
    parts = []
    for name in ("css/app.css", "css/report.css"):
        path = finders.find(name)
        if path:
            with open(path, encoding="utf-8") as fh:
                parts.append(fh.read())
    return "\n".join(parts)


def render_report_pdf(context: dict) -> bytes:
    # app.css has screen-only rules (width media queries, dialog::backdrop) that WeasyPrint
    # warns about on every render; they are harmless here, so keep the logs for real errors.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class RefusingFetcher(URLFetcher):
        # The PDF is built from our own template and inlined CSS; it must never reach the
        # network (a URL in user content must not become a server-side request).
        def fetch(self, url, headers=None):
            raise ValueError(f"Report rendering fetches nothing ({url[:80]}).")

    from claims.reviewing.public_views import ratings_css_text

    html = render_to_string(
        "exports/claim_report_pdf.html", {**context, "inline_css": _report_css() + ratings_css_text()}
    )
    return HTML(string=html, url_fetcher=RefusingFetcher()).write_pdf()

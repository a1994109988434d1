"""Decided suggestions with known outcomes, for the precision and the export."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from claims.models import Claim, CoverageSuggestion
from sources.models import Document


def suggestion(claim, n, *, stance, language, status, corrected="", decided_days_ago=1,
               confidence=0.7, title=None) -> CoverageSuggestion:
    document = Document.objects.create(canonical_url=f"https://news.example/{n}",
                                       title=title or f"Article {n}", language=language)
    decided = timezone.now() - timedelta(days=decided_days_ago) if status != "suggested" else None
    return CoverageSuggestion.objects.create(
        claim=claim, document=document, relevance=0.9, stance=stance, stance_confidence=confidence,
        status=status, decided_at=decided, corrected_stance=corrected,
    )


def build(editor) -> Claim:
    """supports: 1 right of 3 (en accepted; en dismissed; fr corrected to denies);
    denies: 2 of 2 (fr; unknown language); discusses: none decided in the window."""
    claim = Claim.objects.create(text="Russia asked China for aid", claimant="Officials", created_by=editor)
    suggestion(claim, 1, stance="supports", language="en", status="accepted")
    suggestion(claim, 2, stance="supports", language="en", status="dismissed")
    suggestion(claim, 3, stance="supports", language="fr", status="accepted", corrected="denies")
    suggestion(claim, 4, stance="denies", language="fr", status="accepted")
    suggestion(claim, 5, stance="denies", language="", status="accepted", title="=cmd|' /C calc'!A0")
    suggestion(claim, 6, stance="discusses", language="en", status="dismissed", decided_days_ago=400)
    suggestion(claim, 7, stance="discusses", language="en", status="suggested")
    return claim

"""The desk's labels on coverage suggestions, as rows for retraining the stance model.

One row per decided suggestion: the claim, the document, the predicted stance and its
confidence, the desk's decision and the stance that stands (the reviewer's correction, the
prediction when it was accepted as is; "unrelated" when the suggestion was dismissed).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from claims.models import CoverageSuggestion

COLUMNS = ["claim_id", "claim_text", "document_id", "document_url", "document_title",
           "document_language", "decision", "predicted_stance", "corrected_stance", "label",
           "confidence", "relevance", "decided_at"]


def feedback_rows(*, since: datetime | None = None) -> Iterator[list]:
    suggestions = (CoverageSuggestion.objects
                   .filter(status__in=[CoverageSuggestion.Status.ACCEPTED, CoverageSuggestion.Status.DISMISSED])
                   .select_related("claim", "document")
                   .only("claim__id", "claim__text", "document__id", "document__canonical_url",
                         "document__title", "document__language", "status", "stance",
                         "corrected_stance", "stance_confidence", "relevance", "decided_at")
                   .order_by("decided_at", "pk"))
    if since is not None:
        suggestions = suggestions.filter(decided_at__gte=since)
    for s in suggestions.iterator(chunk_size=2000):
        accepted = s.status == CoverageSuggestion.Status.ACCEPTED
        yield [
            s.claim.pk, s.claim.text, s.document.pk, s.document.canonical_url, s.document.title,
            s.document.language, s.status, s.stance, s.corrected_stance,
            (s.corrected_stance or s.stance) if accepted else "unrelated",
            round(s.stance_confidence, 4), round(s.relevance, 4),
            s.decided_at.isoformat() if s.decided_at else "",
        ]

"""Resurfacing: new coverage of a claim we already published as false or misleading.

Matching (``matching``) looks for coverage of open claims only. This is a separate, cheap
pass over the same new documents: the published claims whose verdict rates them False,
Mostly false or Misleading, in a small TF-IDF index of their own (rebuilt when one is
published or corrected), scored by the lexical pass's relevance (the share of the claim's
weight the document contains) at a stricter threshold, since no stance model reads the pair.

A match becomes a ``ResurfacedItem`` (one per claim and document, ever: an item alerts
once) and goes into the claim's open "spreading again" ``DeskAlert``: the first item raises
it and notifies the claim's assignee and the desk's reviewers (in the app and by email,
after commit); later items are added to it. The hourly alert scan resolves an alert once
no new item has come for ``ALERT_RESURFACING_QUIET_DAYS`` days.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q

from claims.corroboration.index_cache import ClaimIndex, claim_index_build
from claims.corroboration.prior_checks import REFUTING_RATINGS
from claims.models import (
    AlertKind,
    Claim,
    ClaimStatus,
    DeskAlert,
    Notification,
    ResurfacedItem,
    VerdictState,
    VerdictVersion,
)

logger = logging.getLogger(__name__)

#: Share of the claim's squared TF-IDF weight a document must contain (matching's lexical
#: pass asks 0.35 and then lets the stance model drop unrelated pairs; nothing does here).
RESURFACING_RELEVANCE = 0.5
ITEMS_PER_DOCUMENT = 3

_lock = threading.Lock()
_index: ClaimIndex | None = None


def quiet_days() -> int:
    return int(getattr(settings, "ALERT_RESURFACING_QUIET_DAYS", 14))


def _refuted_verdicts():
    """Each published claim's current verdict (its latest approved version)."""
    return (VerdictVersion.objects.filter(state=VerdictState.APPROVED, claim__status=ClaimStatus.PUBLISHED)
            .order_by("claim_id", "-number").distinct("claim_id"))


def refuted_claim_ids() -> list[int]:
    """Claims we published as False, Mostly false or Misleading (their current verdict)."""
    return [claim_id for claim_id, label in _refuted_verdicts().values_list("claim_id", "rating__label")
            if label in REFUTING_RATINGS]


def _key() -> tuple:
    agg = VerdictVersion.objects.filter(state=VerdictState.APPROVED).aggregate(
        n=Count("id"), latest=Max("reviewed_at"))
    published = Claim.objects.filter(status=ClaimStatus.PUBLISHED).aggregate(
        n=Count("id"), latest=Max("updated_at"))
    return (agg["n"], agg["latest"], published["n"], published["latest"])


def refuted_claim_index() -> ClaimIndex:
    """The cached index of claims published as false or misleading; two aggregates decide
    whether to rebuild (a publication, a correction, a claim reopened)."""
    global _index
    key = _key()
    with _lock:
        if _index is None or _index.key != key:
            ids = refuted_claim_ids()
            rows = list(Claim.objects.filter(pk__in=ids).order_by("pk").values_list("id", "text", "language"))
            _index = claim_index_build(key, rows)
        return _index


def documents_resurface(*, document_ids: Iterable[int]) -> int:
    """Find claims published as false or misleading among these new documents; record each
    new (claim, document) pair and alert. Returns how many new items were recorded."""
    from claims.corroboration.matching import _load_documents, lexical_candidates

    ids = sorted({int(i) for i in document_ids})
    if not ids:
        return 0
    index = refuted_claim_index()
    if not index.texts:
        return 0
    found = lexical_candidates(_load_documents(ids), index, threshold=RESURFACING_RELEVANCE,
                               per_document=ITEMS_PER_DOCUMENT)
    if not found:
        return 0
    by_claim: dict[int, dict[int, float]] = defaultdict(dict)
    for (claim_id, document_id), relevance in found.items():
        by_claim[claim_id][document_id] = relevance
    added = 0
    for claim_id in sorted(by_claim):
        added += resurfacing_record(claim_id=claim_id, found=by_claim[claim_id])
    return added


@transaction.atomic
def resurfacing_record(*, claim_id: int, found: dict[int, float]) -> int:
    """Record documents (id -> relevance) that repeat a claim published as false or
    misleading, in the claim's open alert (raised, and its people notified, by the first)."""
    claim = (Claim.objects.select_for_update(of=("self",)).select_related("assignee")
             .filter(pk=claim_id, status=ClaimStatus.PUBLISHED).first())
    label = _current_rating(claim_id) if claim is not None else None
    if label not in REFUTING_RATINGS:  # gone, reopened, or corrected to another rating
        return 0
    seen = set(ResurfacedItem.objects.filter(claim_id=claim_id, document_id__in=list(found))
               .values_list("document_id", flat=True))
    new = {d: r for d, r in found.items() if d not in seen}
    if not new:
        return 0
    key = f"resurfacing:{claim_id}"
    alert = DeskAlert.objects.select_for_update().filter(key=key, resolved_at__isnull=True).first()
    raised = alert is None
    if alert is None:
        alert = DeskAlert.objects.create(
            kind=AlertKind.RESURFACING, key=key, claim=claim,
            message=f"Claim #{claim.pk}, which we published as {label.lower()}, is spreading "
                    f"again: “{_short(claim.text)}”"[:500])
    ResurfacedItem.objects.bulk_create([
        ResurfacedItem(claim_id=claim_id, document_id=d, relevance=r, alert=alert)
        for d, r in sorted(new.items())
    ])
    if raised:
        _notify(alert, claim)
    logger.info("resurfacing: claim %s, %d new items (%s)", claim_id, len(new),
                "alert raised" if raised else "added to its alert")
    return len(new)


def _current_rating(claim_id: int) -> str | None:
    return _refuted_verdicts().filter(claim_id=claim_id).values_list("rating__label", flat=True).first()


def _short(text: str, limit: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _notify(alert: DeskAlert, claim: Claim) -> None:
    """The claim's assignee and the desk's reviewers: in the app, and by email after commit."""
    from django.contrib.auth import get_user_model

    from claims.discussion.notify import notifications_create
    from claims.reviewing.notifications import reviewers

    people = set(reviewers().values_list("pk", flat=True))
    if claim.assignee is not None and claim.assignee.is_active:
        people.add(claim.assignee.pk)
    users = get_user_model().objects.in_bulk(people)
    # By email as each person chose for this kind (claims.discussion.notify).
    notifications_create([
        Notification(recipient=users[pk], verb=f"alert_{alert.kind}", message=alert.message[:500],
                     claim_id=claim.pk)
        for pk in sorted(users)
    ])


def resurfacing_resolve_quiet(*, now: datetime) -> int:
    """Resolve "spreading again" alerts with no new item for ``quiet_days()`` days (the
    hourly alert scan calls this)."""
    cutoff = now - timedelta(days=quiet_days())
    return (DeskAlert.objects.filter(kind=AlertKind.RESURFACING, resolved_at__isnull=True)
            .annotate(last_item=Max("resurfaced_items__found_at"))
            .filter(Q(last_item__lt=cutoff) | Q(last_item__isnull=True, raised_at__lt=cutoff))
            .update(resolved_at=now))


def claim_resurfacing(*, claim_id: int, limit: int = 20) -> tuple[DeskAlert | None, list[ResurfacedItem]]:
    """The claim's open "spreading again" alert and its newest items (document and outlet)."""
    alert = DeskAlert.objects.filter(key=f"resurfacing:{claim_id}", resolved_at__isnull=True).first()
    if alert is None:
        return None, []
    items = list(ResurfacedItem.objects.filter(alert=alert)
                 .select_related("document", "document__outlet")
                 .defer("document__text", "document__embedding", "document__embedding_units")
                 .order_by("-found_at", "-pk")[:limit])
    alert.item_count = ResurfacedItem.objects.filter(alert=alert).count()
    return alert, items

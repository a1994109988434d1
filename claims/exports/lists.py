"""Which claims a list export holds, and the queries that read them in bounded chunks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from itertools import islice

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from claims.models import (
    Claim,
    CoverageSuggestion,
    Evidence,
    Tag,
    VerdictState,
    VerdictVersion,
)
from claims.selectors import claim_queue
from sources.selectors import snapshots_latest

# Rows fetched per round trip from the server-side cursor (and per prefetch batch): big
# enough to keep round trips few, small enough that memory stays flat for any export size.
EXPORT_CHUNK_SIZE = 500


def export_claims_for(*, user, params) -> QuerySet:
    """The triage queue as the user sees it with these GET params (the desk's own filters,
    sort and open-claims default), ready for export."""
    # Without the queue page's tag prefetch: prefetched rows reference each other, and only
    # the cyclic garbage collector frees them, so a streamed export would grow with its size.
    # Tags come from a subquery in with_export_columns instead.
    return claim_queue(user=user, params=params).prefetch_related(None)



def _count_evidence(stance: str):
    # A correlated subquery, not a JOIN + COUNT: it stays right whatever joins the queue's
    # own filters (tags, outlets) add to the query.
    counted = (
        Evidence.objects.active().filter(claim=OuterRef("pk"), stance=stance)
        .order_by()
        .values("claim")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_export_columns(claims: QuerySet) -> QuerySet:
    """Add what a CSV row needs, all in the one query: tags, evidence counts and the latest
    approved verdict. Subqueries rather than prefetch_related: prefetching builds reference
    cycles between instances that only the cyclic garbage collector frees, so a streamed
    export with prefetches grows with the number of rows (measured: ~4x for 3,000 claims)."""
    latest_approved = VerdictVersion.objects.filter(
        claim=OuterRef("pk"), state=VerdictState.APPROVED
    ).order_by("-number")
    return claims.select_related("assignee").annotate(
        export_tags=ArraySubquery(
            Tag.objects.filter(claims=OuterRef("pk")).order_by("name").values("name")
        ),
        export_supporting_count=_count_evidence("supports"),
        export_denying_count=_count_evidence("denies"),
        export_verdict_rating=Subquery(latest_approved.values("rating__label")[:1]),
        export_verdict_headline=Subquery(latest_approved.values("headline")[:1]),
    )


def in_chunks(claims: QuerySet):
    """Iterate over a server-side cursor, EXPORT_CHUNK_SIZE rows per round trip, so memory
    does not grow with the size of the export. (No prefetch_related here: see above.)"""
    return claims.iterator(chunk_size=EXPORT_CHUNK_SIZE)


def _grouped(rows, key: str) -> dict[int, list]:
    groups: dict[int, list] = defaultdict(list)
    for row in rows:
        groups[getattr(row, key)].append(row)
    return groups


def _attach_details(chunk: list[Claim]) -> None:
    """Load the chunk's evidence, latest snapshots, verdict versions and coverage
    suggestions in four queries, and hang them on the claims as plain lists."""
    ids = [claim.pk for claim in chunk]
    evidence = list(
        Evidence.objects.active().filter(claim_id__in=ids)
        .select_related("source__outlet")
        .order_by("claim_id", "added_at", "id")
    )
    latest_snapshots = snapshots_latest(source_ids={e.source_id for e in evidence})
    for item in evidence:
        item.export_snapshot = latest_snapshots.get(item.source_id)
    evidence_by_claim = _grouped(evidence, "claim_id")
    versions_by_claim = _grouped(
        VerdictVersion.objects.filter(claim_id__in=ids)
        .select_related("rating")
        .order_by("claim_id", "-number"),
        "claim_id",
    )
    suggestions_by_claim = _grouped(
        CoverageSuggestion.objects.filter(claim_id__in=ids)
        .select_related("document")
        .order_by("claim_id", "-relevance", "id"),
        "claim_id",
    )
    for claim in chunk:
        claim.export_evidence = evidence_by_claim.get(claim.pk, [])
        claim.export_versions = versions_by_claim.get(claim.pk, [])
        claim.export_suggestions = suggestions_by_claim.get(claim.pk, [])


def in_chunks_with_details(claims: QuerySet) -> Iterator[Claim]:
    """Like in_chunks, with each claim's evidence, verdict versions and suggestions
    attached (four extra queries per chunk, none per claim)."""
    rows = in_chunks(with_export_columns(claims))
    while chunk := list(islice(rows, EXPORT_CHUNK_SIZE)):
        _attach_details(chunk)
        yield from chunk

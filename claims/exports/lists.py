"""Which claims a list export holds, and the queries that read them in bounded chunks."""

from __future__ import annotations

from django import forms
from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from claims.models import (
    Claim,
    ClaimStatus,
    CoverageSuggestion,
    Evidence,
    Priority,
    VerdictState,
    VerdictVersion,
)
from sources.models import Snapshot

# Rows fetched per round trip from the server-side cursor (and per prefetch batch): big
# enough to keep round trips few, small enough that memory stays flat for any export size.
EXPORT_CHUNK_SIZE = 500


class MinimalQueueFilterForm(forms.Form):
    """Stand-in for the desk's QueueFilterForm until claims.selectors.claim_queue lands."""

    status = forms.MultipleChoiceField(choices=ClaimStatus.choices, required=False)
    priority = forms.TypedMultipleChoiceField(
        choices=Priority.choices, coerce=int, required=False
    )


class ExportFilterError(ValueError):
    pass


def minimal_claim_queue(*, user, params) -> QuerySet:
    form = MinimalQueueFilterForm(params)
    if not form.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
        raise ExportFilterError(f"These filters cannot be used: {problems}")
    claims = Claim.objects.order_by("-priority", "-created_at")
    if form.cleaned_data["status"]:
        claims = claims.filter(status__in=form.cleaned_data["status"])
    if form.cleaned_data["priority"]:
        claims = claims.filter(priority__in=form.cleaned_data["priority"])
    return claims


# The triage queue's own filters. Switch to the desk's selector with this one line:
# from claims.selectors import claim_queue
claim_queue = minimal_claim_queue


def _count_evidence(stance: str):
    # A correlated subquery, not a JOIN + COUNT: it stays right whatever joins the queue's
    # own filters (tags, outlets) add to the query.
    counted = (
        Evidence.objects.filter(claim=OuterRef("pk"), stance=stance)
        .order_by()
        .values("claim")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_export_columns(claims: QuerySet) -> QuerySet:
    """Add what a CSV row needs: evidence counts and the latest approved verdict."""
    latest_approved = VerdictVersion.objects.filter(
        claim=OuterRef("pk"), state=VerdictState.APPROVED
    ).order_by("-number")
    return (
        claims.select_related("assignee")
        .prefetch_related("tags")
        .annotate(
            export_supporting_count=_count_evidence("supports"),
            export_denying_count=_count_evidence("denies"),
            export_verdict_rating=Subquery(latest_approved.values("rating__label")[:1]),
            export_verdict_headline=Subquery(latest_approved.values("headline")[:1]),
        )
    )


def with_export_details(claims: QuerySet) -> QuerySet:
    """Add what a JSON document needs: evidence with sources and snapshot hashes, verdict
    versions and coverage suggestions. Each is one query per chunk, not per claim."""
    snapshots = Prefetch(
        "source__snapshots",
        queryset=Snapshot.objects.only("id", "source_id", "sha256", "fetched_at").order_by(
            "-fetched_at"
        ),
        to_attr="export_snapshots",
    )
    return with_export_columns(claims).prefetch_related(
        Prefetch(
            "evidence",
            queryset=Evidence.objects.select_related("source__outlet")
            .prefetch_related(snapshots)
            .order_by("added_at", "id"),
            to_attr="export_evidence",
        ),
        Prefetch(
            "verdict_versions",
            queryset=VerdictVersion.objects.select_related("rating").order_by("-number"),
            to_attr="export_versions",
        ),
        Prefetch(
            "suggestions",
            queryset=CoverageSuggestion.objects.select_related("document").order_by(
                "-relevance", "id"
            ),
            to_attr="export_suggestions",
        ),
    )


def export_claims_for(*, user, params) -> QuerySet:
    """The triage queue as the user sees it with these GET params, ready for export."""
    return claim_queue(user=user, params=params)


def in_chunks(claims: QuerySet):
    """Iterate over a server-side cursor, EXPORT_CHUNK_SIZE rows at a time (prefetches run
    per chunk), so memory does not grow with the size of the export."""
    return claims.iterator(chunk_size=EXPORT_CHUNK_SIZE)


"""Shared reads for claims, with the permission checks they need."""

from __future__ import annotations

from django.db.models import Count, Q

from claims.models import Claim


def claim_list_for_triage(*, user):
    return (
        Claim.objects.select_related("assignee", "created_by")
        .prefetch_related("tags")
        .annotate(
            supporting_count=Count("evidence", filter=Q(evidence__stance="supports")),
            denial_count=Count("evidence", filter=Q(evidence__stance="denies")),
        )
        .order_by("-priority", "-created_at")
    )

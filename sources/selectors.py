"""Shared reads for sources: what the source and snapshot pages show."""

from __future__ import annotations

import gzip

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from sources.models import LinkCheck, Snapshot, Source

SNAPSHOT_LIST_FIELDS = (
    "id", "source_id", "requested_url", "final_url", "http_status", "content_type",
    "raw_size", "sha256", "fetched_at",
)


def source_get(*, source_id: int) -> Source:
    return get_object_or_404(Source.objects.select_related("outlet"), pk=source_id)


def source_snapshots(*, source: Source) -> QuerySet[Snapshot]:
    """Newest first, without the (large) raw body and text."""
    return source.snapshots.only(*SNAPSHOT_LIST_FIELDS).order_by("-fetched_at", "-pk")


def source_link_checks(*, source: Source) -> QuerySet[LinkCheck]:
    return source.link_checks.order_by("-checked_at", "-pk")


def snapshot_get(*, source_id: int, snapshot_id: int) -> Snapshot:
    """A snapshot of that source (404 if the pair does not match)."""
    return get_object_or_404(
        Snapshot.objects.select_related("source", "source__outlet"), pk=snapshot_id, source_id=source_id
    )


def snapshot_raw_body(snapshot: Snapshot) -> bytes:
    return gzip.decompress(bytes(snapshot.raw_gzip))

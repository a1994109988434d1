"""Shared reads for sources, and the part of the public API of ``sources`` that reads.

Other apps (``claims``) read sources' rows through these, never by their own queries:

* ``source_get_for_user`` / ``snapshot_get_for_user`` / ``feed_get_for_user``: one
  permission-checking fetcher per entity (the rule is in the README, "Access: 403 or 404").
* ``snapshot_latest`` (a subquery) and ``snapshots_latest`` (a batch): "the latest snapshot
  of a source", written once.
* ``snapshots_as_of``: the copy of each source archived at or before a moment.
* ``snapshot_for_display``: one snapshot without its raw body.
* ``prior_factchecks_state`` / ``prior_factcheck_texts`` / ``prior_factchecks_in``: other
  publishers' fact-checks, for the desk's matcher.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from sources.models import Feed, LinkCheck, PriorFactCheck, Snapshot, Source

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    AnyUser = User | AnonymousUser  # request.user

VIEW_SNAPSHOT = "sources.view_snapshot"
CHANGE_SOURCE = "sources.change_source"
VIEW_FEED = "sources.view_feed"

SNAPSHOT_LIST_FIELDS = (
    "id", "source_id", "requested_url", "final_url", "http_status", "content_type",
    "raw_size", "sha256", "fetched_at",
)
#: Newest first; the id breaks a tie between two fetches in the same instant.
LATEST_FIRST = ("-fetched_at", "-pk")


# --------------------------------------------------------------------------- fetchers


def source_get_for_user(user: AnyUser, *, source_id: int, write: bool = False) -> Source:
    """A source for someone who may read the archive: 404 for everyone else (an outsider
    cannot tell whether it exists); 403 for a reader asking to change it."""
    if not user.has_perm(VIEW_SNAPSHOT):
        raise Http404("No such source.")
    if write and not user.has_perm(CHANGE_SOURCE):
        raise PermissionDenied("Only the desk can archive sources.")
    return get_object_or_404(Source.objects.select_related("outlet"), pk=source_id)


def snapshot_get_for_user(user: AnyUser, *, source_id: int, snapshot_id: int) -> Snapshot:
    """A snapshot of that source (404 if the pair does not match, and for outsiders)."""
    if not user.has_perm(VIEW_SNAPSHOT):
        raise Http404("No such snapshot.")
    return get_object_or_404(
        Snapshot.objects.select_related("source", "source__outlet"), pk=snapshot_id, source_id=source_id
    )


def feed_get_for_user(user: AnyUser, *, feed_id: int, queryset: QuerySet[Feed] | None = None) -> Feed:
    """A feed for newsroom staff. Outsiders get 403 before any lookup (an exception to the
    404 rule that ``tests/sources/feeds/test_views.py`` pins), a missing feed 404."""
    require_feed_viewer(user)
    return get_object_or_404(Feed.objects.all() if queryset is None else queryset, pk=feed_id)


def require_feed_viewer(user: AnyUser) -> None:
    if not user.has_perm(VIEW_FEED):
        raise PermissionDenied("Only newsroom staff can see feeds.")


# --------------------------------------------------------------------------- snapshots


def source_snapshots(*, source: Source) -> QuerySet[Snapshot]:
    """Newest first, without the (large) raw body and text."""
    return source.snapshots.only(*SNAPSHOT_LIST_FIELDS).order_by(*LATEST_FIRST)


def source_link_checks(*, source: Source) -> QuerySet[LinkCheck]:
    return source.link_checks.order_by("-checked_at", "-pk")


def snapshot_latest(source_ref: str | OuterRef = "source_id") -> QuerySet[Snapshot]:
    """The latest snapshot of the source named by ``source_ref`` (an outer field of the query
    this goes into), for ``Subquery(snapshot_latest().values("pk")[:1])``."""
    ref = OuterRef(source_ref) if isinstance(source_ref, str) else source_ref
    return Snapshot.objects.filter(source_id=ref).order_by(*LATEST_FIRST)


def snapshots_latest(*, source_ids: Iterable[int]) -> dict[int, Snapshot]:
    """{source id: its latest snapshot} in one query, without the body or text."""
    ids = set(source_ids)
    if not ids:
        return {}
    return {
        snapshot.source_id: snapshot
        for snapshot in Snapshot.objects.filter(source_id__in=ids)
        .order_by("source_id", *LATEST_FIRST)
        .distinct("source_id")
        .only("id", "source_id", "sha256", "fetched_at")
    }


def snapshots_as_of(*, source_ids: Iterable[int], moment: datetime | None) -> dict[int, Snapshot]:
    """{source id: Snapshot}: the copy archived last at or before ``moment`` (what someone saw
    then), else the first one archived after it; without the body or text."""
    chosen: dict[int, Snapshot] = {}
    for snapshot in (
        Snapshot.objects.filter(source_id__in=set(source_ids))
        .only("id", "source_id", "sha256", "fetched_at", "final_url")
        .order_by("source_id", "fetched_at", "pk")
    ):
        current = chosen.get(snapshot.source_id)
        if current is None or (moment is not None and snapshot.fetched_at <= moment):
            chosen[snapshot.source_id] = snapshot
    return chosen


def snapshot_for_display(*, snapshot_id: int) -> Snapshot:
    """One snapshot with its source and outlet, without the raw body."""
    return Snapshot.objects.select_related("source__outlet").defer("raw_gzip").get(pk=snapshot_id)


def snapshot_raw_body(snapshot: Snapshot) -> bytes:
    return gzip.decompress(bytes(snapshot.raw_gzip))


def prior_factchecks_state() -> tuple[int, datetime | None]:
    """How many prior fact-checks there are and when the latest changed: a matcher's index
    built for this state is current."""
    from django.db.models import Count, Max

    figures = PriorFactCheck.objects.aggregate(n=Count("pk"), latest=Max("updated_at"))
    return figures["n"], figures["latest"]


def prior_factcheck_texts() -> list[tuple[int, str]]:
    """(id, the claim it reviewed) of every prior fact-check."""
    return list(PriorFactCheck.objects.order_by("pk").values_list("pk", "claim_reviewed"))


def prior_factchecks_in(*, ids: Iterable[int]) -> dict[int, PriorFactCheck]:
    return PriorFactCheck.objects.defer("embedding").in_bulk(list(ids))


def prior_factchecks_nearest(*, vector: str, limit: int = 10) -> dict[int, float]:
    """Prior fact-check id -> embedding cosine to ``vector`` (a pgvector literal), nearest
    first: a few hundred or thousand rows, read without an index."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, 1 - (embedding <=> %(v)s::vector) FROM sources_priorfactcheck "
            "WHERE embedding IS NOT NULL ORDER BY embedding <=> %(v)s::vector LIMIT %(limit)s",
            {"v": vector, "limit": limit},
        )
        return {pk: float(cosine) for pk, cosine in cursor.fetchall()}

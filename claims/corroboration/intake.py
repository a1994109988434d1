"""Similar claims at intake: "has the desk seen this claim before?" while an editor types.

Uses similar.SimilarClaimIndex over every claim except duplicates (their original is
indexed) and rejected ones. The index is built once per process and rebuilt only when the
claims change, keyed on (count, latest update) — one indexed aggregate per call.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.db.models import Count, Max

from claims.corroboration.similar import DEFAULT_THRESHOLD, SimilarClaimIndex
from claims.models import Claim, ClaimStatus

EXCLUDED_STATUSES = (ClaimStatus.DUPLICATE, ClaimStatus.REJECTED)
MIN_QUERY_CHARS = 12
#: Claims changed since the index was built are searched in a small side index; past this
#: many, the full index is rebuilt (in a background thread).
DELTA_REBUILD_AT = 100


@dataclass
class _CachedIndex:
    key: tuple
    index: SimilarClaimIndex
    built_through: object  # the latest updated_at the index includes


_cache: _CachedIndex | None = None
_lock = threading.Lock()
_rebuilding = threading.Event()


def _indexed_claims():
    return Claim.objects.exclude(status__in=EXCLUDED_STATUSES)


def _current_key() -> tuple:
    agg = _indexed_claims().aggregate(n=Count("id"), latest=Max("updated_at"), top=Max("id"))
    return (agg["n"], agg["latest"], agg["top"])


def _build(key: tuple) -> _CachedIndex:
    rows = list(_indexed_claims().values_list("id", "text").iterator(chunk_size=5000))
    return _CachedIndex(key=key, index=SimilarClaimIndex(rows), built_through=key[1])


def _rebuild_in_background(key: tuple) -> None:
    """Rebuilding 100k claims takes seconds: do it off the request, once at a time."""
    if _rebuilding.is_set():
        return
    _rebuilding.set()

    def work():
        global _cache
        from django.db import connection

        try:
            fresh = _build(key)
            with _lock:
                _cache = fresh
        finally:
            connection.close()
            _rebuilding.clear()

    threading.Thread(target=work, name="similar-claims-rebuild", daemon=True).start()


def similar_claim_index() -> SimilarClaimIndex:
    """The full index, built synchronously when there is none (first call, or tests)."""
    global _cache
    key = _current_key()
    with _lock:
        if _cache is None or _cache.key != key:
            _cache = _build(key)
        return _cache.index


def forget_similar_claim_index() -> None:
    global _cache
    with _lock:
        _cache = None


def _search(text: str, k: int) -> list[tuple[int, float]]:
    """Search the cached index; claims changed since it was built are searched in a small
    fresh index and override it, while the full index is rebuilt in the background."""
    global _cache
    key = _current_key()
    with _lock:
        cached = _cache
    if cached is None or (cached.key != key and cached.built_through is None):
        cached = _build(key)
        with _lock:
            _cache = cached
    hits = dict(cached.index.search(text, k=k))
    if cached.key != key:
        changed = list(
            Claim.objects.filter(updated_at__gt=cached.built_through).values_list("id", "text", "status")
        )
        if len(changed) > DELTA_REBUILD_AT:
            _rebuild_in_background(key)
        for cid, _text, _status in changed:
            hits.pop(cid, None)
        fresh = [(cid, t) for cid, t, status in changed if status not in EXCLUDED_STATUSES]
        if fresh:
            hits.update(SimilarClaimIndex(fresh).search(text, k=k))
    return sorted(hits.items(), key=lambda item: -item[1])


def find_similar_claims(
    *, text: str, exclude_id: int | None = None, limit: int = 5, threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[Claim, float]]:
    """Existing claims that probably restate ``text``, best first, with a 0..1 score."""
    text = (text or "").strip()
    if len(text) < MIN_QUERY_CHARS:
        return []
    hits = [(cid, score) for cid, score in _search(text, limit + 1) if score >= threshold]
    hits = [(cid, score) for cid, score in hits if cid != exclude_id][:limit]
    claims = Claim.objects.select_related("assignee").in_bulk([cid for cid, _ in hits])
    return [(claims[cid], score) for cid, score in hits if cid in claims]

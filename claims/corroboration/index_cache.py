"""The one in-process cache of claim indexes, rebuilt on demand and never in a thread.

Two indexes over the claims, each built at most once per process for a given state of the
claims (a cheap aggregate decides whether the cached one is current):

* :func:`open_claim_index`: TF-IDF over the open claims, for coverage matching (which words
  are salient for retrieval, how much of a claim a document covers). Used by workers.
* :func:`similar_claim_index`: the similar-claims ranker over every claim intake can find.
  A web process builds it on the first intake search; claims changed since are searched in a
  small side index until there are too many, when it is rebuilt on the next search.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from django.db.models import Count, Max

from claims.corroboration.core.similar import SimilarClaimIndex, word_tokens
from claims.models import OPEN_STATUSES, Claim, ClaimStatus

#: A word found in more than this share of open claims is not used for retrieval.
COMMON_WORD_SHARE = 0.05
#: Claims intake does not find: duplicates (their original is found) and rejected ones.
EXCLUDED_STATUSES = (ClaimStatus.DUPLICATE, ClaimStatus.REJECTED)
#: Past this many claims changed since the similar-claims index was built, it is rebuilt.
DELTA_REBUILD_AT = 500

_lock = threading.Lock()


# --- open claims, for matching ------------------------------------------------------------


@dataclass
class ClaimIndex:
    """TF-IDF over the open claims' texts; rebuilt when their (count, latest edit) changes."""

    key: tuple
    texts: dict[int, str] = field(default_factory=dict)
    languages: dict[int, str] = field(default_factory=dict)
    vectorizer: object | None = None
    matrix: sp.csr_matrix | None = None
    row_of: dict[int, int] = field(default_factory=dict)
    common_stems: frozenset[str] = frozenset()
    #: How many open claims use each stemmed word.
    claim_frequency: dict[str, int] = field(default_factory=dict)
    #: The claims' squared TF-IDF rows, transposed (words x claims), and the claim id of each
    #: column: a document set's relevance to every claim is one product with it.
    squared_transposed: sp.csr_matrix | None = None
    claim_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


_open_index: ClaimIndex | None = None


def fit_vectorizer(texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=word_tokens, sublinear_tf=True, dtype=np.float32)
    vectorizer.fit(texts or [""])
    return vectorizer


def _open_claims_key() -> tuple:
    agg = Claim.objects.filter(status__in=OPEN_STATUSES).aggregate(
        n=Count("id"), latest=Max("updated_at")
    )
    return (agg["n"], agg["latest"])


def open_claim_index() -> ClaimIndex:
    """The cached index of open claims; one indexed aggregate decides whether to rebuild."""
    global _open_index
    key = _open_claims_key()
    with _lock:
        if _open_index is not None and _open_index.key == key:
            return _open_index
        rows = list(Claim.objects.filter(status__in=OPEN_STATUSES).values_list("id", "text", "language"))
        _open_index = claim_index_build(key, rows)
        return _open_index


def claim_index_build(key: tuple, rows: list[tuple[int, str, str]]) -> ClaimIndex:
    """A ClaimIndex over ``rows`` of (claim id, text, language)."""
    index = ClaimIndex(key=key, texts={c: t for c, t, _ in rows},
                       languages={c: lang for c, _, lang in rows})
    if rows:
        index.vectorizer = fit_vectorizer([t for _, t, _ in rows])
        index.matrix = index.vectorizer.transform([t for _, t, _ in rows]).tocsr()
        index.row_of = {cid: i for i, (cid, _, _) in enumerate(rows)}
        index.squared_transposed = index.matrix.multiply(index.matrix).T.tocsr()
        index.claim_ids = np.array([cid for cid, _, _ in rows], dtype=np.int64)
        df = np.bincount(index.matrix.indices, minlength=index.matrix.shape[1])
        vocabulary = index.vectorizer.get_feature_names_out()
        limit = max(COMMON_WORD_SHARE * len(rows), 20)
        index.common_stems = frozenset(vocabulary[df > limit].tolist())
        index.claim_frequency = dict(zip(vocabulary.tolist(), df.tolist(), strict=True))
    return index


# --- every findable claim, for intake -----------------------------------------------------


@dataclass
class _SimilarIndex:
    key: tuple
    index: SimilarClaimIndex
    built_through: object  # the latest updated_at the index includes


_similar: _SimilarIndex | None = None


def findable_claims():
    return Claim.objects.exclude(status__in=EXCLUDED_STATUSES)


def _similar_key() -> tuple:
    agg = findable_claims().aggregate(n=Count("id"), latest=Max("updated_at"), top=Max("id"))
    return (agg["n"], agg["latest"], agg["top"])


def _build_similar(key: tuple) -> _SimilarIndex:
    rows = list(findable_claims().values_list("id", "text").iterator(chunk_size=5000))
    return _SimilarIndex(key=key, index=SimilarClaimIndex(rows), built_through=key[1])


def similar_claim_index() -> SimilarClaimIndex:
    """The full similar-claims index, current as of now (built here if needed)."""
    global _similar
    key = _similar_key()
    with _lock:
        if _similar is None or _similar.key != key:
            _similar = _build_similar(key)
        return _similar.index


def similar_claim_search(query: str, k: int) -> dict[int, float]:
    """Lexical similar-claims scores of ``query`` over every findable claim.

    The cached index answers; claims changed since it was built are searched in a small side
    index that overrides it. When more than :data:`DELTA_REBUILD_AT` claims changed, the
    index is rebuilt here, once, under the lock (never in a background thread)."""
    global _similar
    key = _similar_key()
    with _lock:
        cached = _similar
        if cached is None or cached.built_through is None:
            cached = _similar = _build_similar(key)
    hits = dict(cached.index.search(query, k=k))
    if cached.key == key:
        return hits
    changed = list(
        Claim.objects.filter(updated_at__gt=cached.built_through).values_list("id", "text", "status")[
            : DELTA_REBUILD_AT + 1
        ]
    )
    if len(changed) > DELTA_REBUILD_AT:
        with _lock:
            if _similar is cached:
                _similar = _build_similar(key)
            cached = _similar
        return dict(cached.index.search(query, k=k))
    for cid, _text, _status in changed:
        hits.pop(cid, None)
    fresh = [(cid, t) for cid, t, status in changed if status not in EXCLUDED_STATUSES]
    if fresh:
        hits.update(SimilarClaimIndex(fresh).search(query, k=k))
    return hits


def forget_indexes() -> None:
    """Drop both cached indexes (tests, benchmarks)."""
    global _open_index, _similar
    with _lock:
        _open_index = None
        _similar = None

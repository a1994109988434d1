"""Has someone else checked this claim already? Prior fact-checks by other publishers
(``sources.factchecks``) matched to a claim's text with the similar-claims ranker
(``core.similar``, measured by ``similar_eval`` on CheckThat! 2022, which is this task):
the lexical index fused with the embedding cosine (``rank_similar``), as intake fuses them
for our own claims, so a fact-check in German or Russian finds an English claim.

One index per process over every prior fact-check's claim, rebuilt when their count or
latest change moves (imports are rare; a search never waits on a rebuild by another thread).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from claims.corroboration.core.similar import DEFAULT_THRESHOLD, SimilarClaimIndex, rank_similar
from sources.selectors import (
    prior_factcheck_texts,
    prior_factchecks_in,
    prior_factchecks_nearest,
    prior_factchecks_state,
)

if TYPE_CHECKING:
    from sources.models import PriorFactCheck

logger = logging.getLogger(__name__)

MIN_QUERY_CHARS = 12
VECTOR_NEIGHBOURS = 10
#: Ratings on our scale that say a claim is wrong: a repeat of one is worth saying at once.
REFUTING_RATINGS = ("False", "Mostly false", "Misleading")


@dataclass
class _Cached:
    state: tuple[int, datetime | None]
    index: SimilarClaimIndex


_lock = threading.Lock()
_cache: _Cached | None = None


def _index() -> SimilarClaimIndex:
    global _cache
    state = prior_factchecks_state()
    cached = _cache
    if cached is not None and cached.state == state:
        return cached.index
    with _lock:
        if _cache is None or _cache.state != state:
            _cache = _Cached(state, SimilarClaimIndex(prior_factcheck_texts()))
        return _cache.index


def prior_factchecks_matching(*, text: str, limit: int = 5,
                              threshold: float = DEFAULT_THRESHOLD) -> list[PriorFactCheck]:
    """Other publishers' fact-checks of probably the same claim, best first; each carries
    ``similarity`` (0..1, the similar-claims scale: 0.8 and above the same claim)."""
    text = " ".join((text or "").split())
    if len(text) < MIN_QUERY_CHARS:
        return []
    lexical = dict(_index().search(text, k=limit))
    try:
        from claims.corroboration.intake import query_vector, vector_literal

        vector = prior_factchecks_nearest(vector=vector_literal(query_vector(text)), limit=VECTOR_NEIGHBOURS)
    except Exception:  # noqa: BLE001 - never break intake or the claim page; lexical still works
        logger.exception("prior fact-checks: embedding search failed; lexical matches only")
        vector = {}
    hits = [(pk, score) for pk, score in rank_similar(lexical, vector, k=limit) if score >= threshold]
    rows = prior_factchecks_in(ids=[pk for pk, _ in hits])
    found = []
    for pk, score in hits:
        row = rows.get(pk)
        if row is not None:
            row.similarity = score
            found.append(row)
    return found


def refutes(check: PriorFactCheck) -> bool:
    return check.normalised_rating in REFUTING_RATINGS

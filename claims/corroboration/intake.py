"""Similar claims at intake: "has the desk seen this claim before?" while an editor types.

Two rankers, fused by ``core.similar.rank_similar``: the lexical similar-claims index (cached
in ``index_cache``) and the nearest claims by embedding cosine (pgvector HNSW over
``Claim.embedding``). The typed text is the one text a web request may embed: a claim is
short, and one ``query:`` embedding takes a few tens of milliseconds on one core. A claim
logged in Russian finds the English claim through the vectors.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from django.db import connection, transaction

from claims.corroboration.core import embeddings
from claims.corroboration.core.similar import DEFAULT_THRESHOLD, rank_similar
from claims.corroboration.index_cache import EXCLUDED_STATUSES, similar_claim_search
from claims.models import Claim
from workbench.metrics import model_timed

logger = logging.getLogger(__name__)

MIN_QUERY_CHARS = 12
#: Typed text longer than this is cut before embedding (a claim, not an article).
MAX_EMBED_CHARS = 400
VECTOR_NEIGHBOURS = 10

_NEAREST_CLAIMS_SQL = """
SELECT id, 1 - (embedding <=> %(vector)s::vector) AS cosine
FROM claims_claim
WHERE embedding IS NOT NULL AND NOT ((status || '') = ANY(%(excluded)s))
ORDER BY embedding <=> %(vector)s::vector
LIMIT %(limit)s
"""


@lru_cache(maxsize=64)
def query_vector(text: str) -> tuple[float, ...]:
    """The ``query:`` embedding of typed text, kept for the next few texts: the similar
    claims and the prior fact-checks of one text (and the next keystroke's same text)
    embed it once."""
    with model_timed("embedding"):
        [vector] = embeddings.embed_queries([text[:MAX_EMBED_CHARS]])
    return tuple(float(v) for v in vector)


def vector_literal(vector) -> str:
    return "[" + ",".join(f"{v:.6f}" for v in vector) + "]"


def nearest_claims(*, text: str, limit: int = VECTOR_NEIGHBOURS) -> dict[int, float]:
    """Claim id -> embedding cosine of the claims nearest to ``text`` (any language)."""
    literal = vector_literal(query_vector(text))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL hnsw.ef_search = 60")
        cursor.execute(_NEAREST_CLAIMS_SQL, {"vector": literal, "limit": limit,
                                             "excluded": [str(s) for s in EXCLUDED_STATUSES]})
        return {claim_id: float(cosine) for claim_id, cosine in cursor.fetchall()}


def find_similar_claims(
    *, text: str, exclude_id: int | None = None, limit: int = 5, threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[Claim, float]]:
    """Existing claims that probably restate ``text``, best first, with a 0..1 score."""
    text = (text or "").strip()
    if len(text) < MIN_QUERY_CHARS:
        return []
    lexical = similar_claim_search(text, limit + 1)
    try:
        vector = nearest_claims(text=text)
    except Exception:  # noqa: BLE001 - the warning must not break intake; lexical still works
        logger.exception("intake: embedding search failed; showing lexical matches only")
        vector = {}
    hits = [(cid, score) for cid, score in rank_similar(lexical, vector, k=limit + 1)
            if score >= threshold and cid != exclude_id][:limit]
    claims = Claim.objects.select_related("assignee").in_bulk([cid for cid, _ in hits])
    return [(claims[cid], score) for cid, score in hits if cid in claims]

"""Matching coverage (sources.Document) to claims: candidate retrieval, relevance, stance.

Pipeline for a batch of new documents (``documents_match``):

1. Candidate retrieval is PostgreSQL full-text search from the document side: each
   document's headline, summary and lead become an OR tsquery of its salient words, run
   against the open claims' GIN-indexed ``search_vector`` in ONE statement per batch (a
   LATERAL join capped at :data:`CANDIDATES_PER_DOCUMENT` by ``ts_rank_cd``). Words that
   occur in many open claims are left out of the query: they match everything and cost
   the most.
2. Relevance: how much of the claim's weighted vocabulary (TF-IDF over the open claims,
   cached in-process and rebuilt when the open claims change) appears in the document.
3. Stance: the FNC-1 model plus its denial/assertion cue layer (``stance_cues``), in
   batches, on pairs above :data:`RELEVANCE_THRESHOLD`; "unrelated" predictions are dropped.
4. ``CoverageSuggestion`` rows are inserted with ``ignore_conflicts``: the (claim, document)
   unique constraint means a pair is suggested at most once, whatever its later status.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from django.db import connection
from django.db.models import Count, Max
from django.db.models.functions import Left
from threadpoolctl import threadpool_limits

from claims.corroboration.similar import STOP_WORDS, word_tokens
from claims.corroboration.stance import PRODUCT_STANCE, get_stance_model
from claims.models import OPEN_STATUSES, Claim, CoverageSuggestion
from sources.models import Document

logger = logging.getLogger(__name__)

#: Share of the claim's squared TF-IDF weight that must appear in the document.
RELEVANCE_THRESHOLD = 0.35
CANDIDATES_PER_DOCUMENT = 12
QUERY_WORDS_PER_DOCUMENT = 40
#: Retrieval uses the document's rarest words that some open claim also uses.
SALIENT_WORDS_PER_DOCUMENT = 16
#: A word found in more than this share of open claims is not used for retrieval.
COMMON_WORD_SHARE = 0.05
DOCUMENTS_PER_QUERY = 200
STANCE_BATCH = 512
RELEVANCE_TEXT_CHARS = 8_000
STANCE_TEXT_CHARS = 4_000
QUERY_LEAD_CHARS = 600

_WORD_RE = re.compile(r"[a-z0-9]+")


# --- the cached index of open claims ---------------------------------------------------


@dataclass
class ClaimIndex:
    """TF-IDF over the open claims' texts; rebuilt when their (count, latest edit) changes."""

    key: tuple
    texts: dict[int, str] = field(default_factory=dict)
    vectorizer: object | None = None
    matrix: sp.csr_matrix | None = None
    row_of: dict[int, int] = field(default_factory=dict)
    common_stems: frozenset[str] = frozenset()
    #: How many open claims use each (similar.word_tokens-stemmed) word.
    claim_frequency: dict[str, int] = field(default_factory=dict)


_index: ClaimIndex | None = None
_index_lock = threading.Lock()


def _fit_vectorizer(texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=word_tokens, sublinear_tf=True, dtype=np.float32)
    vectorizer.fit(texts or [""])
    return vectorizer


def _open_claims_key() -> tuple:
    agg = Claim.objects.filter(status__in=OPEN_STATUSES).aggregate(n=Count("id"), latest=Max("updated_at"))
    return (agg["n"], agg["latest"])


def open_claim_index() -> ClaimIndex:
    """The cached index; one cheap aggregate query decides whether to rebuild it."""
    global _index
    key = _open_claims_key()
    with _index_lock:
        if _index is not None and _index.key == key:
            return _index
        rows = list(Claim.objects.filter(status__in=OPEN_STATUSES).values_list("id", "text"))
        index = ClaimIndex(key=key, texts=dict(rows))
        if rows:
            index.vectorizer = _fit_vectorizer([t for _, t in rows])
            index.matrix = index.vectorizer.transform([t for _, t in rows]).tocsr()
            index.row_of = {cid: i for i, (cid, _) in enumerate(rows)}
            df = np.bincount(index.matrix.indices, minlength=index.matrix.shape[1])
            vocabulary = index.vectorizer.get_feature_names_out()
            limit = max(COMMON_WORD_SHARE * len(rows), 20)
            index.common_stems = frozenset(vocabulary[df > limit].tolist())
            index.claim_frequency = dict(zip(vocabulary.tolist(), df.tolist(), strict=True))
        _index = index
        return index


def forget_claim_index() -> None:
    global _index
    with _index_lock:
        _index = None


# --- full-text queries ------------------------------------------------------------------


def or_query(text: str, *, skip_stems: Iterable[str] = (), limit: int = QUERY_WORDS_PER_DOCUMENT) -> str:
    """An OR tsquery source (for ``to_tsquery('english', ...)``) of the text's salient words.

    Only ``[a-z0-9]`` words reach PostgreSQL, so no tsquery syntax can be injected.
    """
    skip = frozenset(skip_stems)
    words: list[str] = []
    seen: set[str] = set()
    for word in _WORD_RE.findall((text or "").lower()):
        if len(word) < 2 or word in STOP_WORDS or word in seen:
            continue
        seen.add(word)
        stems = word_tokens(word)
        if stems and stems[0] in skip:
            continue
        words.append(word)
        if len(words) >= limit:
            break
    return " | ".join(words)


# Each document's tsquery is parsed once (its own LATERAL) and then drives a parameterised
# scan of the claims' GIN index; the status test is written so that the planner never
# prefers the status index to the GIN index (most claim rows are open on a busy desk).
_CANDIDATES_SQL = """
SELECT t.doc_id, m.claim_id, m.rank
FROM unnest(%(doc_ids)s::bigint[], %(queries)s::text[]) AS t(doc_id, qtext)
CROSS JOIN LATERAL to_tsquery('english', t.qtext) AS q(query)
CROSS JOIN LATERAL (
    SELECT c.id AS claim_id, ts_rank_cd(c.search_vector, q.query) AS rank
    FROM claims_claim c
    WHERE c.search_vector @@ q.query AND (c.status || '') = ANY(%(statuses)s)
    ORDER BY rank DESC, c.id
    LIMIT %(per_doc)s
) AS m
"""

_DOCUMENT_VECTOR_SQL = """
UPDATE sources_document SET search_vector =
    setweight(to_tsvector('english', coalesce(title, '')), 'A')
    || setweight(to_tsvector('english', coalesce(summary, '')), 'B')
    || setweight(to_tsvector('english', left(coalesce(text, ''), 100000)), 'C')
WHERE id = ANY(%s) AND search_vector IS NULL
"""


def documents_index(document_ids: Sequence[int]) -> None:
    """Fill in the full-text vector of documents stored without one."""
    if document_ids:
        with connection.cursor() as cursor:
            cursor.execute(_DOCUMENT_VECTOR_SQL, [list(document_ids)])


def document_query(text: str, index: ClaimIndex) -> str:
    """The document's most salient words for retrieval: words some open claim uses, but not
    many, rarest first. Words no claim uses cannot match and would only slow the ranking."""
    frequency = index.claim_frequency
    scored = []
    for position, word in enumerate(or_query(text, limit=200).split(" | ")):
        stems = word_tokens(word) if word else []
        count = frequency.get(stems[0], 0) if stems else 0
        if count and stems[0] not in index.common_stems:
            scored.append((count, position, word))
    scored.sort()
    return " | ".join(word for _, _, word in scored[:SALIENT_WORDS_PER_DOCUMENT])


def _query_source(doc: dict) -> str:
    return " ".join([doc["title"] or "", doc["summary"] or "", (doc["text_head"] or "")[:QUERY_LEAD_CHARS]])


def candidate_pairs(docs: Sequence[dict], index: ClaimIndex) -> list[tuple[int, int]]:
    """(claim id, document id) pairs from one full-text statement over the open claims."""
    doc_ids, queries = [], []
    for doc in docs:
        query = document_query(_query_source(doc), index)
        if query:
            doc_ids.append(doc["id"])
            queries.append(query)
    if not doc_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _CANDIDATES_SQL,
            {
                "doc_ids": doc_ids,
                "queries": queries,
                "statuses": list(OPEN_STATUSES),
                "per_doc": CANDIDATES_PER_DOCUMENT,
            },
        )
        return [(claim_id, doc_id) for doc_id, claim_id, _rank in cursor.fetchall()]


# --- scoring and storing ----------------------------------------------------------------


def _load_documents(document_ids: Iterable[int]) -> list[dict]:
    return list(
        Document.objects.filter(pk__in=list(document_ids))
        .annotate(text_head=Left("text", RELEVANCE_TEXT_CHARS))
        .values("id", "title", "summary", "text_head")
        .order_by("id")
    )


def _document_text(doc: dict, limit: int) -> str:
    parts = [doc["title"] or "", doc["summary"] or "", (doc["text_head"] or "")[:limit]]
    return "\n".join(p for p in parts if p)


def relevance_scores(
    pairs: Sequence[tuple[int, int]], claim_texts: dict[int, str], docs: dict[int, dict], index: ClaimIndex
) -> np.ndarray:
    """Share of each claim's squared TF-IDF weight whose words the document contains (0..1)."""
    if not pairs:
        return np.zeros(0)
    claim_ids = list(dict.fromkeys(c for c, _ in pairs))
    if index.matrix is not None and all(c in index.row_of for c in claim_ids):
        vectorizer = index.vectorizer
        claim_rows = index.matrix[[index.row_of[c] for c in claim_ids]]
    else:
        # Claims outside the open-claims index (the "gather now" path): a small vectoriser.
        vectorizer = _fit_vectorizer([claim_texts[c] for c in claim_ids])
        claim_rows = vectorizer.transform([claim_texts[c] for c in claim_ids]).tocsr()
    doc_ids = list(dict.fromkeys(d for _, d in pairs))
    doc_rows = vectorizer.transform([_document_text(docs[d], RELEVANCE_TEXT_CHARS) for d in doc_ids])
    doc_rows = doc_rows.tocsr()
    doc_rows.data[:] = 1.0
    claim_pos = {c: i for i, c in enumerate(claim_ids)}
    doc_pos = {d: i for i, d in enumerate(doc_ids)}
    squared = claim_rows.multiply(claim_rows).tocsr()
    left = squared[[claim_pos[c] for c, _ in pairs]]
    right = doc_rows[[doc_pos[d] for _, d in pairs]]
    return np.asarray(left.multiply(right).sum(axis=1)).ravel()


def suggest_pairs(
    pairs: Sequence[tuple[int, int]],
    *,
    claim_texts: dict[int, str],
    docs: dict[int, dict],
    index: ClaimIndex,
    threshold: float = RELEVANCE_THRESHOLD,
) -> int:
    """Score pairs, run the stance model on the relevant ones, store suggestions. Returns
    how many new suggestions were stored."""
    pairs = list(dict.fromkeys(pairs))
    if not pairs:
        return 0
    existing = set(
        CoverageSuggestion.objects.filter(document_id__in={d for _, d in pairs}).values_list(
            "claim_id", "document_id"
        )
    )
    pairs = [p for p in pairs if p not in existing]
    if not pairs:
        return 0
    scores = relevance_scores(pairs, claim_texts, docs, index)
    kept = [(pair, float(score)) for pair, score in zip(pairs, scores, strict=True) if score >= threshold]
    if not kept:
        return 0
    model = get_stance_model()
    rows = []
    # One BLAS/OpenMP thread: worker processes already use the cores, and oversubscribed
    # OpenMP threads spin (measured 2-5x slower on the shared 2-core box).
    with threadpool_limits(limits=1):
        predictions_all = []
        for start in range(0, len(kept), STANCE_BATCH):
            chunk = kept[start : start + STANCE_BATCH]
            predictions_all.extend(
                model.predict(
                    [(claim_texts[c], _document_text(docs[d], STANCE_TEXT_CHARS)) for (c, d), _ in chunk],
                    cues=True,  # the denial/assertion layer: what editors call denies/supports
                )
            )
    for ((claim_id, doc_id), relevance), prediction in zip(kept, predictions_all, strict=True):
        stance = PRODUCT_STANCE[prediction.label]
        if stance is None:
            continue
        rows.append(
            CoverageSuggestion(
                claim_id=claim_id,
                document_id=doc_id,
                relevance=round(min(max(relevance, 0.0), 1.0), 4),
                stance=stance,
                stance_confidence=min(max(float(prediction.confidence), 0.0), 1.0),
            )
        )
    # The unique (claim, document) constraint makes a concurrent duplicate a no-op.
    CoverageSuggestion.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def documents_match(*, document_ids: list[int]) -> int:
    """Suggest these (new) documents to every open claim they cover. Idempotent."""
    ids = sorted({int(i) for i in document_ids})
    created = 0
    for start in range(0, len(ids), DOCUMENTS_PER_QUERY):
        batch = ids[start : start + DOCUMENTS_PER_QUERY]
        documents_index(batch)
        index = open_claim_index()
        if not index.texts:
            return created
        docs = {d["id"]: d for d in _load_documents(batch)}
        pairs = [p for p in candidate_pairs(list(docs.values()), index) if p[0] in index.texts]
        created += suggest_pairs(pairs, claim_texts=index.texts, docs=docs, index=index)
    return created


# --- one claim against the stored coverage ("gather coverage now") -----------------------

_CLAIM_DOCUMENTS_SQL = """
SELECT d.id
FROM sources_document d, to_tsquery('english', %(qtext)s) AS q(query)
WHERE d.search_vector @@ q.query
  AND NOT EXISTS (
      SELECT 1 FROM claims_coveragesuggestion s WHERE s.claim_id = %(claim_id)s AND s.document_id = d.id
  )
ORDER BY ts_rank_cd(d.search_vector, q.query) DESC, d.id DESC
LIMIT %(limit)s
"""


def claim_candidate_documents(*, claim: Claim, limit: int = 200) -> list[int]:
    """Stored documents that share salient words with the claim, best first (not yet suggested)."""
    query = or_query(claim.text)
    if not query:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM_DOCUMENTS_SQL, {"qtext": query, "claim_id": claim.pk, "limit": limit})
        return [row[0] for row in cursor.fetchall()]


def claim_match_documents(*, claim: Claim, document_ids: Sequence[int]) -> int:
    """Suggest these documents to one claim (whatever its status). Idempotent."""
    ids = sorted({int(i) for i in document_ids})
    if not ids:
        return 0
    documents_index(ids)
    index = open_claim_index()
    docs = {d["id"]: d for d in _load_documents(ids)}
    texts = {claim.pk: claim.text}
    return suggest_pairs([(claim.pk, d) for d in docs], claim_texts=texts, docs=docs, index=index)

"""Matching coverage (sources.Document) to claims: candidates, relevance, stance.

Two passes over each batch of new documents:

1. The fast lexical pass (``documents_match``, the default queue, right after a feed poll):
   PostgreSQL full-text retrieval — each document's salient words as an OR tsquery in its
   own language's text-search configuration, against the open claims' GIN-indexed
   ``search_vector``, in ONE statement per batch — then relevance (the share of the claim's
   TF-IDF weight the document contains) and stance by the model's ``lexical`` head. Only
   English pairs are labelled here; every other pair waits for the second pass.
2. The semantic pass (``documents_match_semantic``, the embedding queue, once the documents
   have vectors): the nearest open claims by embedding cosine (pgvector HNSW) fused with the
   full-text candidates by reciprocal rank, then stance by the ``full`` head (English pairs)
   or the ``semantic`` head (any other language, cross-lingual pairs included). Relevance is
   the model's probability that the pair is related. Suggestions of the first pass that no
   one has decided on yet take the better-informed label.

``CoverageSuggestion`` rows are inserted with ``ignore_conflicts``: the (claim, document)
unique constraint means a pair is suggested at most once, whatever its later status.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from django.db import connection, transaction
from django.db.models.functions import Left
from threadpoolctl import threadpool_limits

from claims.corroboration.core import embeddings, text
from claims.corroboration.core.labels import PRODUCT_STANCE, ModelStance
from claims.corroboration.core.similar import STOP_WORDS, word_tokens
from claims.corroboration.core.stance import StanceInput, get_stance_model
from claims.corroboration.index_cache import ClaimIndex, fit_vectorizer, open_claim_index
from claims.discussion.notify import notify_new_coverage
from claims.models import OPEN_STATUSES, Claim, CoverageSuggestion
from sources.documents import documents_index
from sources.language import ts_config
from sources.models import Document
from sources.search import document_word_frequencies
from workbench.metrics import model_timed

logger = logging.getLogger(__name__)

#: Share of the claim's squared TF-IDF weight that must appear in the document (lexical pass).
RELEVANCE_THRESHOLD = 0.35
CANDIDATES_PER_DOCUMENT = 12
#: Nearest claims asked of the vector index per document (semantic pass).
VECTOR_CANDIDATES = 12
#: Below this embedding cosine a vector neighbour is not a candidate (e5 puts unrelated
#: news around 0.75-0.80 from a claim, coverage of it above 0.82).
VECTOR_MIN_COSINE = 0.80
RRF_K = 60
QUERY_WORDS_PER_DOCUMENT = 40
#: Retrieval uses the document's rarest words that some open claim also uses.
SALIENT_WORDS_PER_DOCUMENT = 16
DOCUMENTS_PER_QUERY = 200
STANCE_BATCH = 512
RELEVANCE_TEXT_CHARS = 8_000
QUERY_LEAD_CHARS = 600

# Letters and digits of any script only: nothing of tsquery's syntax can get through.
_QUERY_WORD_RE = re.compile(r"[^\W_]+")


def or_query(text_: str, *, skip_stems: Iterable[str] = (), limit: int = QUERY_WORDS_PER_DOCUMENT) -> str:
    """An OR tsquery source (for ``to_tsquery(config, ...)``) of the text's salient words."""
    skip = frozenset(skip_stems)
    words: list[str] = []
    seen: set[str] = set()
    for word in _QUERY_WORD_RE.findall(text.normalize(text_).lower()):
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


# --- the lexical pass ---------------------------------------------------------------------

# Each document's tsquery is parsed once (its own LATERAL, in its language's configuration)
# and then drives a parameterised scan of the claims' GIN index; the status test is written so
# that the planner never prefers the status index to the GIN index.
_CANDIDATES_SQL = """
SELECT t.doc_id, m.claim_id, m.rank
FROM unnest(%(doc_ids)s::bigint[], %(queries)s::text[], %(configs)s::text[])
     AS t(doc_id, qtext, config)
CROSS JOIN LATERAL to_tsquery(t.config::regconfig, t.qtext) AS q(query)
CROSS JOIN LATERAL (
    SELECT c.id AS claim_id, ts_rank_cd(c.search_vector, q.query) AS rank
    FROM claims_claim c
    WHERE c.search_vector @@ q.query AND (c.status || '') = ANY(%(statuses)s)
    ORDER BY rank DESC, c.id
    LIMIT %(per_doc)s
) AS m
"""


def document_query(text_: str, index: ClaimIndex) -> str:
    """The document's most salient words for retrieval: words some open claim uses, but not
    many, rarest first. Words no claim uses cannot match and would only slow the ranking."""
    frequency = index.claim_frequency
    scored = []
    for position, word in enumerate(or_query(text_, limit=200).split(" | ")):
        stems = word_tokens(word) if word else []
        count = frequency.get(stems[0], 0) if stems else 0
        if count and stems[0] not in index.common_stems:
            scored.append((count, position, word))
    scored.sort()
    return " | ".join(word for _, _, word in scored[:SALIENT_WORDS_PER_DOCUMENT])


def _query_source(doc: dict) -> str:
    return " ".join([doc["title"] or "", doc["summary"] or "", (doc["text_head"] or "")[:QUERY_LEAD_CHARS]])


def fulltext_candidates(docs: Sequence[dict], index: ClaimIndex) -> list[tuple[int, int]]:
    """(claim id, document id) pairs, best first per document, from one full-text statement."""
    doc_ids, queries, configs = [], [], []
    for doc in docs:
        query = document_query(_query_source(doc), index)
        if query:
            doc_ids.append(doc["id"])
            queries.append(query)
            configs.append(ts_config(doc["language"]))
    if not doc_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _CANDIDATES_SQL,
            {"doc_ids": doc_ids, "queries": queries, "configs": configs,
             "statuses": list(OPEN_STATUSES), "per_doc": CANDIDATES_PER_DOCUMENT},
        )
        return [(claim_id, doc_id) for doc_id, claim_id, _rank in cursor.fetchall()]


def _load_documents(document_ids: Iterable[int], *, units: bool = False) -> list[dict]:
    fields = ["id", "title", "summary", "text_head", "language"]
    if units:
        fields.append("embedding_units")
    return list(
        Document.objects.filter(pk__in=list(document_ids))
        .annotate(text_head=Left("text", RELEVANCE_TEXT_CHARS))
        .values(*fields)
        .order_by("id")
    )


def _document_text(doc: dict) -> str:
    parts = [doc["title"] or "", doc["summary"] or "", doc["text_head"] or ""]
    return "\n".join(p for p in parts if p)


def lexical_candidates(docs: Sequence[dict], index: ClaimIndex, *,
                       threshold: float = RELEVANCE_THRESHOLD,
                       per_document: int = CANDIDATES_PER_DOCUMENT) -> dict[tuple[int, int], float]:
    """The lexical pass's candidates for a whole set of documents at once: every open claim's
    relevance to every document in ONE sparse product (documents' word sets times the claims'
    squared TF-IDF rows), then each document's best claims at or above ``threshold``.

    Relevance is the figure the pass keeps a pair by, so ranking by it (rather than asking
    the full-text index for a top-ranked few and computing relevance afterwards) loses no
    pair the threshold would keep, and costs no database round trip: at 10,000 open claims
    PostgreSQL's ``ts_rank_cd`` over every full-text match cost ~2 ms a document.
    Returns ``{(claim id, document id): relevance}``, best first per document."""
    if not docs or index.matrix is None:
        return {}
    doc_rows = index.vectorizer.transform([_document_text(d) for d in docs]).tocsr()
    doc_rows.data[:] = 1.0
    scores = (doc_rows @ index.squared_transposed).tocsr()
    out: dict[tuple[int, int], float] = {}
    claim_of = index.claim_ids
    for row, doc in enumerate(docs):
        start, end = scores.indptr[row], scores.indptr[row + 1]
        values = scores.data[start:end]
        keep = np.flatnonzero(values >= threshold)
        if not len(keep):
            continue
        columns = scores.indices[start:end][keep]
        values = values[keep]
        claims = claim_of[columns]
        # Best relevance first, the older claim first on ties (a stable, repeatable order).
        order = np.lexsort((claims, -values))[:per_document]
        for k in order:
            out[(int(claims[k]), doc["id"])] = float(values[k])
    return out


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
        vectorizer = fit_vectorizer([claim_texts[c] for c in claim_ids])
        claim_rows = vectorizer.transform([claim_texts[c] for c in claim_ids]).tocsr()
    doc_ids = list(dict.fromkeys(d for _, d in pairs))
    doc_rows = vectorizer.transform([_document_text(docs[d]) for d in doc_ids]).tocsr()
    doc_rows.data[:] = 1.0
    claim_pos = {c: i for i, c in enumerate(claim_ids)}
    doc_pos = {d: i for i, d in enumerate(doc_ids)}
    squared = claim_rows.multiply(claim_rows).tocsr()
    left = squared[[claim_pos[c] for c, _ in pairs]]
    right = doc_rows[[doc_pos[d] for _, d in pairs]]
    return np.asarray(left.multiply(right).sum(axis=1)).ravel()


# --- stance and storage -------------------------------------------------------------------



class ClaimInfo:
    """What stance needs of a claim: its text, language and (once embedded) vector."""

    __slots__ = ("text", "language", "vector")

    def __init__(self, text_: str, language: str = "", vector=None):
        self.text = text_
        self.language = language or ""
        self.vector = None if vector is None else np.asarray(vector, dtype=np.float32)


def claim_infos(claim_ids: Iterable[int], *, vectors: bool) -> dict[int, ClaimInfo]:
    fields = ["id", "text", "language"] + (["embedding"] if vectors else [])
    rows = Claim.objects.filter(pk__in=list(claim_ids)).values(*fields)
    return {r["id"]: ClaimInfo(r["text"], r["language"], r.get("embedding")) for r in rows}


def stance_input(claim: ClaimInfo, doc: dict) -> StanceInput:
    units = doc.get("embedding_units")
    return StanceInput(
        claim=claim.text,
        title=doc["title"] or "",
        body=text.document_body(doc["summary"], doc["text_head"]),
        claim_language=claim.language,
        document_language=doc["language"] or "",
        claim_vector=claim.vector,
        unit_vectors=embeddings.unpack_units(units) if units else None,
    )


def predict_stances(rows: Sequence[StanceInput]):
    model = get_stance_model()
    out = []
    # One BLAS/OpenMP thread: worker processes already use the cores, and oversubscribed
    # OpenMP threads spin (measured 2-5x slower on the shared 2-core box).
    with threadpool_limits(limits=1):
        for start in range(0, len(rows), STANCE_BATCH):
            with model_timed("stance"):
                out.extend(model.predict(rows[start:start + STANCE_BATCH]))
    return out


def _passage(row: StanceInput, prediction) -> str:
    units = text.lead_units(row.title, row.body)
    return units[min(prediction.top_unit, len(units) - 1)][:600] if units else ""


def _suggestion(claim_id: int, doc_id: int, relevance: float, prediction, row: StanceInput
                ) -> CoverageSuggestion:
    return CoverageSuggestion(
        claim_id=claim_id,
        document_id=doc_id,
        relevance=round(min(max(float(relevance), 0.0), 1.0), 4),
        stance=PRODUCT_STANCE[prediction.label],
        stance_confidence=min(max(float(prediction.confidence), 0.0), 1.0),
        passage=_passage(row, prediction),
    )


def _existing(pairs: Sequence[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, str]]:
    """(claim, document) -> (suggestion id, status) for pairs already suggested."""
    rows = CoverageSuggestion.objects.filter(
        document_id__in={d for _, d in pairs}
    ).values_list("claim_id", "document_id", "pk", "status")
    return {(c, d): (pk, status) for c, d, pk, status in rows}


def _store(suggestions: list[CoverageSuggestion]) -> None:
    """Store new suggestions, with their ``suggestion.created`` webhook events."""
    from claims.webhooks.events import webhook_suggestions_created

    if not suggestions:
        return
    with transaction.atomic():
        CoverageSuggestion.objects.bulk_create(suggestions, ignore_conflicts=True)
        webhook_suggestions_created((s.claim_id, s.document_id) for s in suggestions)


def suggest_lexical(
    pairs: Sequence[tuple[int, int]], *, claims: dict[int, ClaimInfo], docs: dict[int, dict],
    index: ClaimIndex, threshold: float = RELEVANCE_THRESHOLD,
    relevance: dict[tuple[int, int], float] | None = None,
) -> int:
    """The lexical pass on candidate pairs: relevance (given, or computed here), then the
    ``lexical`` head on English pairs above the threshold. Returns how many new suggestions
    were stored."""
    pairs = list(dict.fromkeys(pairs))
    existing = _existing(pairs) if pairs else {}
    pairs = [p for p in pairs if p not in existing]
    if not pairs:
        return 0
    if relevance is not None:
        scores = np.array([relevance[p] for p in pairs])
    else:
        scores = relevance_scores(pairs, {c: claims[c].text for c, _ in pairs}, docs, index)
    kept, rows = [], []
    for (c, d), score in zip(pairs, scores, strict=True):
        if score < threshold:
            continue
        row = stance_input(ClaimInfo(claims[c].text, claims[c].language), docs[d])
        if row.head == "lexical":
            kept.append((c, d, float(score)))
            rows.append(row)
    suggestions = [
        _suggestion(c, d, score, prediction, row)
        for (c, d, score), row, prediction in zip(kept, rows, predict_stances(rows), strict=True)
        if prediction.label != ModelStance.UNRELATED
    ]
    _store(suggestions)
    notify_new_coverage(Counter(s.claim_id for s in suggestions))
    return len(suggestions)


def suggest_semantic(
    pairs: Sequence[tuple[int, int]], *, claims: dict[int, ClaimInfo], docs: dict[int, dict]
) -> int:
    """The semantic pass on candidate pairs: every pair whose claim and document both have
    vectors goes through the ``full`` or ``semantic`` head. New related pairs are stored;
    undecided suggestions of the lexical pass take the new label. Returns new suggestions."""
    pairs = list(dict.fromkeys(pairs))
    if not pairs:
        return 0
    existing = _existing(pairs)
    todo, rows = [], []
    for c, d in pairs:
        known = existing.get((c, d))
        if known and known[1] != CoverageSuggestion.Status.SUGGESTED:
            continue  # an editor decided: never relabel
        row = stance_input(claims[c], docs[d])
        if row.embedded:
            todo.append((c, d))
            rows.append(row)
    new, relabelled = [], 0
    for (c, d), row, prediction in zip(todo, rows, predict_stances(rows), strict=True):
        known = existing.get((c, d))
        if prediction.label == ModelStance.UNRELATED:
            continue
        if known:
            relabelled += CoverageSuggestion.objects.filter(
                pk=known[0], status=CoverageSuggestion.Status.SUGGESTED
            ).update(stance=PRODUCT_STANCE[prediction.label],
                     stance_confidence=min(max(prediction.confidence, 0.0), 1.0),
                     passage=_passage(row, prediction))
        else:
            new.append(_suggestion(c, d, prediction.related, prediction, row))
    _store(new)
    notify_new_coverage(Counter(s.claim_id for s in new))
    if relabelled:
        logger.info("semantic pass relabelled %d lexical suggestions", relabelled)
    return len(new)


def documents_match(*, document_ids: list[int]) -> int:
    """The lexical pass: suggest these (new) documents to the open claims they cover, in
    English. Idempotent."""
    ids = sorted({int(i) for i in document_ids})
    created = 0
    for start in range(0, len(ids), DOCUMENTS_PER_QUERY):
        batch = ids[start : start + DOCUMENTS_PER_QUERY]
        documents_index(document_ids=batch, only_missing=True)
        index = open_claim_index()
        if not index.texts:
            return created
        docs = {d["id"]: d for d in _load_documents(batch)}
        relevance = lexical_candidates(list(docs.values()), index)
        claims = {c: ClaimInfo(index.texts[c], index.languages.get(c, "")) for c, _ in relevance}
        created += suggest_lexical(list(relevance), claims=claims, docs=docs, index=index,
                                   relevance=relevance)
    return created


# --- the semantic pass --------------------------------------------------------------------

_VECTOR_CANDIDATES_SQL = """
SELECT d.id, m.claim_id, m.cosine
FROM sources_document d
CROSS JOIN LATERAL (
    SELECT c.id AS claim_id, 1 - (c.embedding <=> d.embedding) AS cosine
    FROM claims_claim c
    WHERE c.embedding IS NOT NULL AND (c.status || '') = ANY(%(statuses)s)
    ORDER BY c.embedding <=> d.embedding
    LIMIT %(per_doc)s
) AS m
WHERE d.id = ANY(%(doc_ids)s) AND d.embedding IS NOT NULL
"""


def vector_candidates(document_ids: Sequence[int]) -> list[tuple[int, int, float]]:
    """(claim id, document id, cosine): each document's nearest open claims (HNSW)."""
    if not document_ids:
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        # Status is filtered after the index scan: look further than the default 40 rows.
        cursor.execute("SET LOCAL hnsw.ef_search = 100")
        cursor.execute(
            _VECTOR_CANDIDATES_SQL,
            {"doc_ids": list(document_ids), "statuses": list(OPEN_STATUSES),
             "per_doc": VECTOR_CANDIDATES},
        )
        rows = cursor.fetchall()
    # Best first per document, as the fusion expects.
    return sorted(((c, d, float(cos)) for d, c, cos in rows), key=lambda r: (r[1], -r[2]))


def fuse_candidates(
    fulltext: Sequence[tuple[int, int]], vector: Sequence[tuple[int, int, float]],
    *, per_document: int = CANDIDATES_PER_DOCUMENT,
) -> list[tuple[int, int]]:
    """Reciprocal-rank fusion of the two candidate lists (each best first per document)."""
    scores: dict[int, dict[int, float]] = {}
    ranks: dict[tuple[str, int], int] = {}

    def add(kind: str, claim_id: int, doc_id: int) -> None:
        rank = ranks[(kind, doc_id)] = ranks.get((kind, doc_id), 0) + 1
        by_claim = scores.setdefault(doc_id, {})
        by_claim[claim_id] = by_claim.get(claim_id, 0.0) + 1.0 / (RRF_K + rank)

    for claim_id, doc_id in fulltext:
        add("fulltext", claim_id, doc_id)
    for claim_id, doc_id, cosine in vector:
        if cosine >= VECTOR_MIN_COSINE:
            add("vector", claim_id, doc_id)
    out = []
    for doc_id, by_claim in scores.items():
        best = sorted(by_claim.items(), key=lambda item: (-item[1], item[0]))[:per_document]
        out.extend((claim_id, doc_id) for claim_id, _ in best)
    return out


def documents_match_semantic(*, document_ids: list[int]) -> int:
    """The semantic pass over embedded documents: vector and full-text candidates, then the
    model's ``full``/``semantic`` heads. Idempotent."""
    ids = sorted({int(i) for i in document_ids})
    created = 0
    for start in range(0, len(ids), DOCUMENTS_PER_QUERY):
        batch = ids[start : start + DOCUMENTS_PER_QUERY]
        index = open_claim_index()
        if not index.texts:
            return created
        docs = {d["id"]: d for d in _load_documents(batch, units=True)}
        pairs = fuse_candidates(
            fulltext_candidates(list(docs.values()), index), vector_candidates(list(docs))
        )
        pairs = [p for p in pairs if p[0] in index.texts]
        claims = claim_infos({c for c, _ in pairs}, vectors=True)
        created += suggest_semantic(pairs, claims=claims, docs=docs)
    return created


# --- one claim against the stored coverage ("gather coverage now", a newly embedded claim) --

_CLAIM_DOCUMENTS_SQL = """
SELECT d.id
FROM sources_document d, to_tsquery(%(config)s::regconfig, %(qtext)s) AS q(query)
WHERE d.search_vector @@ q.query
  AND NOT EXISTS (
      SELECT 1 FROM claims_coveragesuggestion s WHERE s.claim_id = %(claim_id)s AND s.document_id = d.id
  )
ORDER BY ts_rank_cd(d.search_vector, q.query) DESC, d.id DESC
LIMIT %(limit)s
"""

_CLAIM_VECTOR_DOCUMENTS_SQL = """
SELECT d.id
FROM sources_document d
WHERE d.embedding IS NOT NULL
  AND 1 - (d.embedding <=> %(vector)s::vector) >= %(min_cosine)s
  AND NOT EXISTS (
      SELECT 1 FROM claims_coveragesuggestion s WHERE s.claim_id = %(claim_id)s AND s.document_id = d.id
  )
ORDER BY d.embedding <=> %(vector)s::vector
LIMIT %(limit)s
"""


#: A claim's candidates come from its rarer words: those in more than this share of stored
#: documents ("says", "government") find everything and tell nothing.
CANDIDATE_MAX_WORD_SHARE = 0.02
CANDIDATE_WORDS = 6


def claim_documents_query(text_: str, *, config: str) -> str:
    """A tsquery source for a claim's stored coverage: any two of its rarest words (up to
    ``CANDIDATE_WORDS``, each in at most ``CANDIDATE_MAX_WORD_SHARE`` of the store).

    Any one word of a claim matches a large share of a million documents, and ranking all of
    those took seconds; an article about the claim shares several of its words. A claim with
    fewer than two rarer words asks for any two of its three rarest; a one-word claim, for it."""
    words = or_query(text_).split(" | ") if text_.strip() else []
    words = [w for w in words if w]
    if len(words) < 2:
        return words[0] if words else ""
    share = document_word_frequencies(words, config=config)
    by_rarity = sorted(words, key=lambda w: (share.get(w, 0.0), words.index(w)))
    rare = [w for w in by_rarity if share.get(w, 0.0) <= CANDIDATE_MAX_WORD_SHARE][:CANDIDATE_WORDS]
    if len(rare) < 2:
        rare = by_rarity[:3]
    return " | ".join(f"({a} & {b})" for i, a in enumerate(rare) for b in rare[i + 1:])


def claim_candidate_documents(*, claim: Claim, limit: int = 200, fulltext: bool = True) -> list[int]:
    """Stored documents that share salient words with the claim (unless ``fulltext=False``)
    or sit near it in embedding space, best first (not yet suggested)."""
    ids: list[int] = []
    query = claim_documents_query(claim.text, config=ts_config(claim.language)) if fulltext else ""
    with connection.cursor() as cursor:
        if query:
            cursor.execute(_CLAIM_DOCUMENTS_SQL, {"qtext": query, "config": ts_config(claim.language),
                                                  "claim_id": claim.pk, "limit": limit})
            ids.extend(row[0] for row in cursor.fetchall())
        if claim.embedding is not None:
            cursor.execute(_CLAIM_VECTOR_DOCUMENTS_SQL, {
                "vector": "[" + ",".join(f"{v:.6f}" for v in claim.embedding) + "]",
                "min_cosine": VECTOR_MIN_COSINE, "claim_id": claim.pk, "limit": limit,
            })
            ids.extend(row[0] for row in cursor.fetchall())
    return list(dict.fromkeys(ids))


def claim_match_documents(*, claim: Claim, document_ids: Sequence[int]) -> int:
    """Suggest these documents to one claim (whatever its status). Idempotent: the lexical
    pass on English pairs, the semantic pass wherever both sides have vectors."""
    ids = sorted({int(i) for i in document_ids})
    if not ids:
        return 0
    documents_index(document_ids=ids, only_missing=True)
    index = open_claim_index()
    docs = {d["id"]: d for d in _load_documents(ids, units=True)}
    info = claim_infos([claim.pk], vectors=True).get(claim.pk)
    if info is None:
        return 0
    pairs = [(claim.pk, d) for d in docs]
    created = suggest_lexical(pairs, claims={claim.pk: info}, docs=docs, index=index)
    created += suggest_semantic(pairs, claims={claim.pk: info}, docs=docs)
    return created

"""The stance model's inputs and named feature groups (see the package docstring)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from claims.corroboration.core import cues, text
from claims.corroboration.core.labels import PRODUCT_STANCE, ModelStance

N_LEAD_SENTENCES = 3
TOP_SENTENCES = 3
SVD_DIMS = 40
#: Size of the sparse term vocabulary (claim and document vectors each).
TERMS = 3000
EMBEDDING_DIM = 384
#: Characters of a document read for the lexical, term and cue features.
BODY_CHARS = 4000

# --- the feature schema -----------------------------------------------------------------

_LEXICAL_HAND = (
    "cos_body", "cos_lead", "cos_best_sentence", "cos_top_sentences", "svd_cos",
    "word_overlap", "lead_overlap", "stem_overlap", "bigram_overlap", "jaccard",
    "mention_rate", "claim_words", "log_body_tokens", "sentences_near_claim",
    "share_near_claim",
    *(f"near_claim_{k}" for k in cues.KINDS),
)
TERM_FEATURES = (
    *(f"claim_term_{i}" for i in range(TERMS)),
    *(f"document_term_{i}" for i in range(TERMS)),
)
LEXICAL_FEATURES = (
    *_LEXICAL_HAND,
    *(f"svd_claim_{i}" for i in range(SVD_DIMS)),
    *(f"svd_body_{i}" for i in range(SVD_DIMS)),
    *(f"svd_product_{i}" for i in range(SVD_DIMS)),
)
CUE_FEATURES = (
    *(f"claim_{k}" for k in cues.KINDS),
    "claim_question",
    *(f"headline_{k}" for k in cues.KINDS),
    *(f"top_unit_{k}" for k in cues.KINDS),
    *(f"lead_{k}_per_unit" for k in cues.KINDS),
    *(f"body_{k}_per_100_words" for k in cues.KINDS),
    "negation_parity_match", "top_unit_index", "lead_units", "document_question",
)
EMBEDDING_FEATURES = (
    "cosine",
    *(f"claim_{i}" for i in range(EMBEDDING_DIM)),
    *(f"document_{i}" for i in range(EMBEDDING_DIM)),
    *(f"abs_difference_{i}" for i in range(EMBEDDING_DIM)),
    *(f"product_{i}" for i in range(EMBEDDING_DIM)),
)
FEATURE_SCHEMA: dict[str, tuple[str, ...]] = {
    "terms": TERM_FEATURES,
    "lexical": LEXICAL_FEATURES,
    "cues": CUE_FEATURES,
    "embedding": EMBEDDING_FEATURES,
}
#: The sparse groups (fed to the network as sparse rows, never standardised).
SPARSE_GROUPS = ("terms",)
HEADS: dict[str, tuple[str, ...]] = {
    "full": ("terms", "lexical", "cues", "embedding"),
    "lexical": ("terms", "lexical", "cues"),
    "semantic": ("cues", "embedding"),
}


# --- inputs and predictions -------------------------------------------------------------


@dataclass(frozen=True)
class StanceInput:
    claim: str
    title: str = ""
    body: str = ""
    claim_language: str = ""
    document_language: str = ""
    #: The claim's ``query:`` vector and the document's ``passage:`` vector(s): one row, the
    #: embedded lead passage (documents embedded before it carry up to four lead units, read
    #: as their normalised mean). ``None`` until the embedding worker has run.
    claim_vector: np.ndarray | None = field(default=None, compare=False, repr=False)
    unit_vectors: np.ndarray | None = field(default=None, compare=False, repr=False)

    @property
    def english(self) -> bool:
        return self.claim_language in ("en", "") and self.document_language in ("en", "")

    @property
    def embedded(self) -> bool:
        return (
            self.claim_vector is not None
            and self.unit_vectors is not None
            and len(self.unit_vectors) > 0
        )

    @property
    def head(self) -> str:
        if self.english:
            return "full" if self.embedded else "lexical"
        return "semantic" if self.embedded else ""

    @property
    def document(self) -> str:
        return "\n".join(p for p in (self.title, self.body) if p)

    def document_vector(self) -> np.ndarray:
        units = np.asarray(self.unit_vectors, dtype=np.float32).reshape(-1, EMBEDDING_DIM)
        mean = units.mean(axis=0)
        return mean / (float(np.linalg.norm(mean)) or 1.0)


@dataclass(frozen=True)
class StancePrediction:
    label: ModelStance
    #: Calibrated: how often the model was right on validation pairs at this score.
    confidence: float
    probabilities: dict[str, float] = field(default_factory=dict)
    head: str = ""
    #: Index (in ``text.lead_units``) of the document's unit sharing most words with the claim.
    top_unit: int = 0

    @property
    def product_stance(self):
        return PRODUCT_STANCE[self.label]

    @property
    def related(self) -> float:
        return 1.0 - self.probabilities.get(ModelStance.UNRELATED, 0.0)


# --- feature extraction -----------------------------------------------------------------


class LexicalVocabulary:
    """TF-IDF over content-word unigrams and bigrams with a fixed vocabulary, plus an SVD.

    Plain arrays only (terms, idf, SVD components); fitted by the training code."""

    def __init__(self, terms: Sequence[str], idf: np.ndarray, components: np.ndarray):
        self.terms = list(terms)
        self.index = {t: i for i, t in enumerate(self.terms)}
        self.idf = np.asarray(idf, dtype=np.float32)
        self.components = np.asarray(components, dtype=np.float32)

    @staticmethod
    def grams(tokens: list[str]) -> list[str]:
        return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Sublinear-TF IDF rows, L2-normalised."""
        rows, cols, vals = [], [], []
        for r, doc in enumerate(texts):
            counts: dict[int, int] = {}
            for gram in self.grams(text.content_tokens(doc)):
                j = self.index.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            js = np.fromiter(counts, dtype=np.int64)
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32))
            w = tf * self.idf[js]
            w /= np.linalg.norm(w) or 1.0
            rows.extend([r] * len(js))
            cols.extend(js.tolist())
            vals.extend(w.tolist())
        return sp.csr_matrix(
            (np.asarray(vals, dtype=np.float32), (rows, cols)),
            shape=(len(texts), len(self.terms)),
        )

    def project(self, matrix: sp.csr_matrix) -> np.ndarray:
        """SVD projection, L2-normalised, padded to :data:`SVD_DIMS` columns."""
        out = np.zeros((matrix.shape[0], SVD_DIMS), dtype=np.float32)
        if self.components.size:
            proj = np.asarray(matrix @ self.components.T, dtype=np.float32)
            norms = np.linalg.norm(proj, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            out[:, : proj.shape[1]] = proj / norms
        return out

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        # Terms as one UTF-8 text, one per line (a unicode array pads every term to the longest).
        return {
            f"{prefix}terms": np.frombuffer("\n".join(self.terms).encode(), dtype=np.uint8),
            f"{prefix}idf": self.idf,
            f"{prefix}components": self.components.astype(np.float16),
        }

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> LexicalVocabulary:
        raw = np.asarray(arrays[f"{prefix}terms"], dtype=np.uint8).tobytes().decode()
        return cls(raw.split("\n") if raw else [], arrays[f"{prefix}idf"],
                   np.asarray(arrays[f"{prefix}components"], dtype=np.float32))


@dataclass
class FeatureExtractor:
    """Turns :class:`StanceInput` rows into the named feature groups."""

    vocabulary: LexicalVocabulary
    term_vocabulary: LexicalVocabulary

    # -- terms (English pairs) ------------------------------------------------------------
    def terms(self, rows: Sequence[StanceInput]) -> sp.csr_matrix:
        n = len(rows)
        idx = [i for i, r in enumerate(rows) if r.english]
        if not idx:
            return sp.csr_matrix((n, 2 * TERMS), dtype=np.float32)
        claims = [rows[i].claim for i in idx]
        docs = [rows[i].document[:BODY_CHARS] for i in idx]
        uniq_claims, uniq_docs = list(dict.fromkeys(claims)), list(dict.fromkeys(docs))
        ci = {c: k for k, c in enumerate(uniq_claims)}
        di = {d: k for k, d in enumerate(uniq_docs)}
        C = _pad_columns(self.term_vocabulary.transform(uniq_claims), TERMS)
        D = _pad_columns(self.term_vocabulary.transform(uniq_docs), TERMS)
        block = sp.hstack([C[[ci[c] for c in claims]], D[[di[d] for d in docs]]]).tocsr()
        # Rows of non-English pairs stay empty.
        select = sp.csr_matrix((np.ones(len(idx), dtype=np.float32), (idx, range(len(idx)))),
                               shape=(n, len(idx)))
        return (select @ block).tocsr().astype(np.float32)

    # -- lexical (English pairs) ----------------------------------------------------------
    def lexical(self, rows: Sequence[StanceInput]) -> np.ndarray:
        n = len(rows)
        out = np.full((n, len(LEXICAL_FEATURES)), np.nan, dtype=np.float32)
        idx = [i for i, r in enumerate(rows) if r.english]
        if not idx:
            return out
        claims = [rows[i].claim for i in idx]
        docs = [rows[i].document[:BODY_CHARS] for i in idx]
        uniq_claims = list(dict.fromkeys(claims))
        uniq_docs = list(dict.fromkeys(docs))
        ci = {c: k for k, c in enumerate(uniq_claims)}
        di = {d: k for k, d in enumerate(uniq_docs)}
        doc_sents = [text.split_sentences(d) for d in uniq_docs]
        V = self.vocabulary
        C = V.transform(uniq_claims)
        D = V.transform(uniq_docs)
        L = V.transform([" ".join(s[:N_LEAD_SENTENCES]) for s in doc_sents])
        offsets = np.cumsum([0] + [len(s) for s in doc_sents])
        S = V.transform([s for sents in doc_sents for s in sents]).tocsr()
        Cs, Ds = V.project(C), V.project(D)
        doc_info = [_DocWords.of(d, sents) for d, sents in zip(uniq_docs, doc_sents, strict=True)]
        claim_words = [_ClaimWords.of(c) for c in uniq_claims]
        c_idx = np.fromiter((ci[c] for c in claims), dtype=np.int64, count=len(idx))
        d_idx = np.fromiter((di[d] for d in docs), dtype=np.int64, count=len(idx))
        # Rows are L2-normalised: cosines are row-wise products, in one sparse operation each.
        cos_body = np.asarray(C[c_idx].multiply(D[d_idx]).sum(axis=1)).ravel()
        cos_lead = np.asarray(C[c_idx].multiply(L[d_idx]).sum(axis=1)).ravel()
        # Sentence cosines: one sparse product per document against all its claims.
        sent_cos: list[np.ndarray] = [np.zeros(0)] * len(idx)
        by_doc: dict[int, list[int]] = {}
        for k, d in enumerate(d_idx):
            by_doc.setdefault(int(d), []).append(k)
        for d, ks in by_doc.items():
            block = (S[offsets[d]:offsets[d + 1]] @ C[c_idx[ks]].T).toarray()
            for col, k in enumerate(ks):
                sent_cos[k] = block[:, col]
        for k, i in enumerate(idx):
            c, d = int(c_idx[k]), int(d_idx[k])
            cw, dw = claim_words[c], doc_info[d]
            cos = sent_cos[k]
            order = np.argsort(-cos)
            top = order[:TOP_SENTENCES]
            near = [j for j, ss in enumerate(dw.sentence_sets) if len(ss & cw.words) >= 2]
            near_cues = (dw.sentence_cues[near].sum(axis=0) if near
                         else np.zeros(len(cues.KINDS), np.float32))
            nh = max(len(cw.words), 1)
            hand = [
                float(cos_body[k]),
                float(cos_lead[k]),
                float(cos[order[0]]) if len(order) else 0.0,
                float(cos[top].mean()) if len(top) else 0.0,
                float(Cs[c] @ Ds[d]),
                len(cw.words & dw.words) / nh,
                len(cw.words & dw.lead_words) / nh,
                len(cw.stems & dw.stems) / max(len(cw.stems), 1),
                len(cw.bigrams & dw.bigrams) / max(len(cw.bigrams), 1),
                len(cw.words & dw.words) / max(len(cw.words | dw.words), 1),
                100.0 * sum(1 for t in dw.content if t in cw.words) / max(len(dw.content), 1),
                len(cw.content),
                float(np.log1p(dw.n_tokens)),
                len(near),
                len(near) / max(len(dw.sentence_sets), 1),
                *near_cues,
            ]
            out[i] = np.concatenate([hand, Cs[c], Ds[d], Cs[c] * Ds[d]])
        return out

    # -- cues (every pair) ----------------------------------------------------------------
    def cue_features(self, rows: Sequence[StanceInput], top_units: Sequence[int]) -> np.ndarray:
        out = np.zeros((len(rows), len(CUE_FEATURES)), dtype=np.float32)
        claim_cache: dict[str, tuple[int, ...]] = {}
        doc_cache: dict[tuple[str, str], tuple] = {}
        neg, ref = cues.KINDS.index("negation"), cues.KINDS.index("refute")
        for i, (row, top) in enumerate(zip(rows, top_units, strict=True)):
            if row.claim not in claim_cache:
                claim_cache[row.claim] = cues.count_cues(row.claim)
            claim_c = claim_cache[row.claim]
            key = (row.title, row.body)
            if key not in doc_cache:
                units = text.lead_units(row.title, row.body)
                unit_c = [cues.count_cues(u) for u in units] or [(0,) * len(cues.KINDS)]
                body = row.document[:BODY_CHARS]
                words = max(len(text.tokenize(body)), 1)
                doc_cache[key] = (
                    unit_c,
                    unit_c[0] if row.title else (0,) * len(cues.KINDS),
                    np.sum(unit_c, axis=0) / len(unit_c),
                    np.asarray(cues.count_cues(body)) * 100.0 / words,
                    float("?" in body[:300] or "\uff1f" in body[:300]),
                    len(units),
                )
            unit_c, headline_c, lead, body_rate, question, n_units = doc_cache[key]
            top = min(max(top, 0), len(unit_c) - 1)
            out[i] = [
                *claim_c,
                float("?" in row.claim or "\uff1f" in row.claim),
                *headline_c,
                *unit_c[top],
                *lead,
                *body_rate,
                float((claim_c[neg] + claim_c[ref]) % 2 == (unit_c[top][neg] + unit_c[top][ref]) % 2),
                top,
                n_units,
                question,
            ]
        return out

    # -- embeddings (embedded pairs) ------------------------------------------------------
    def embedding(self, rows: Sequence[StanceInput]) -> np.ndarray:
        out = np.full((len(rows), len(EMBEDDING_FEATURES)), np.nan, dtype=np.float32)
        for i, row in enumerate(rows):
            if not row.embedded:
                continue
            u = np.asarray(row.claim_vector, dtype=np.float32).reshape(EMBEDDING_DIM)
            v = row.document_vector()
            out[i, 0] = float(u @ v)
            out[i, 1:] = np.concatenate([u, v, np.abs(u - v), u * v])
        return out

    def features(self, rows: Sequence[StanceInput]) -> tuple[dict, list[int]]:
        """The feature groups (``terms`` sparse, the others dense), and which lead unit of
        each document shares most words with its claim."""
        # A document meets several claims in one batch: its units' words are read once.
        unit_words: dict[tuple[str, str], list[set[str]]] = {}
        tops = [_lexical_top_unit(row, unit_words) for row in rows]
        groups = {"terms": self.terms(rows), "lexical": self.lexical(rows),
                  "cues": self.cue_features(rows, tops), "embedding": self.embedding(rows)}
        return groups, tops

    def transform(self, rows: Sequence[StanceInput]) -> dict:
        return self.features(rows)[0]


def _pad_columns(matrix: sp.csr_matrix, columns: int) -> sp.csr_matrix:
    if matrix.shape[1] == columns:
        return matrix
    matrix = matrix[:, :columns]
    return sp.hstack([matrix, sp.csr_matrix((matrix.shape[0], columns - matrix.shape[1]))]).tocsr()


def _lexical_top_unit(row: StanceInput,
                      unit_words: dict[tuple[str, str], list[set[str]]] | None = None) -> int:
    """The lead unit sharing most words with the claim (the passage shown to editors).
    ``unit_words`` caches each document's units' word sets across the rows of one batch."""
    claim = set(text.content_tokens(row.claim))
    key = (row.title, row.body)
    words = unit_words.get(key) if unit_words is not None else None
    if words is None:
        words = [set(text.content_tokens(u)) for u in text.lead_units(row.title, row.body)]
        if unit_words is not None:
            unit_words[key] = words
    if not words or not claim:
        return 0
    return int(np.argmax([len(claim & w) for w in words]))


@dataclass
class _ClaimWords:
    content: list[str]
    words: set[str]
    stems: set[str]
    bigrams: set[tuple[str, str]]

    @classmethod
    def of(cls, claim: str) -> _ClaimWords:
        content = text.content_tokens(claim)
        return cls(content, set(content), {text.stem(t) for t in content}, text.bigrams(content))


@dataclass
class _DocWords:
    content: list[str]
    words: set[str]
    stems: set[str]
    bigrams: set[tuple[str, str]]
    lead_words: set[str]
    sentence_sets: list[set[str]]
    sentence_cues: np.ndarray
    n_tokens: int

    @classmethod
    def of(cls, document: str, sentences: list[str]) -> _DocWords:
        tokens = text.tokenize(document)
        content = text.content_words(tokens)
        sent_tokens = [text.content_tokens(s) for s in sentences]
        return cls(
            content, set(content), {text.stem(t) for t in content}, text.bigrams(content),
            {t for st in sent_tokens[:N_LEAD_SENTENCES] for t in st},
            [set(st) for st in sent_tokens],
            np.array([cues.count_cues(s) for s in sentences], dtype=np.float32).reshape(
                -1, len(cues.KINDS)),
            len(tokens),
        )


def head_inputs(groups: dict, head: str) -> tuple[sp.csr_matrix | None, np.ndarray]:
    """A head's sparse block (or ``None``) and its dense block, groups in schema order."""
    names = HEADS[head]
    sparse = [groups[g] for g in names if g in SPARSE_GROUPS]
    dense = [groups[g] for g in names if g not in SPARSE_GROUPS]
    return (sp.hstack(sparse).tocsr() if sparse else None), np.hstack(dense).astype(np.float32)


def head_width(head: str) -> tuple[int, int]:
    """Columns of a head's sparse and dense blocks."""
    sparse = sum(len(FEATURE_SCHEMA[g]) for g in HEADS[head] if g in SPARSE_GROUPS)
    dense = sum(len(FEATURE_SCHEMA[g]) for g in HEADS[head] if g not in SPARSE_GROUPS)
    return sparse, dense


def select_rows(groups: dict, idx) -> dict:
    return {g: m[idx] for g, m in groups.items()}

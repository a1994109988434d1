"""Similar-claim search: "has this claim (or one like it) been seen or checked already?".

Used at claim intake over the newsroom's own claims (hundreds to ~100k short texts) and
evaluated on CLEF CheckThat! 2022 task 2A (tweets against Snopes verified claims). Issue 13
(prior fact-checks at intake) reuses it: :func:`rank_similar` is the whole interface.

Two rankers are fused (:func:`rank_similar`): the lexical one below, and the cosine of the
claims' multilingual embeddings (``core.embeddings``, both sides embedded as ``query:``),
mapped to the same probability scale by :data:`VECTOR_WEIGHTS`. A claim's score is the larger
of the two, so a claim logged in Russian finds its English twin through the vectors alone,
and an English restatement keeps its lexical score.

Lexical method (CPU-only, no trained artifact):

1. Text normalisation for social-media posts: URLs and ``pic.twitter.com`` links removed,
   ``#HashTags``/``@mentions`` split into words (``#AustralianFires`` -> ``australian fires``),
   the tweet attribution trailer's date dropped.
2. Two retrieval models over the indexed text:
   * BM25 (k1=1.2, b=0.75) over stemmed, stop-word-filtered word tokens;
   * TF-IDF cosine over character 3-5-grams (``char_wb``), robust to spelling, morphology and
     tokenisation differences.
3. Candidates are the union of each model's top ``candidates`` documents; each candidate is
   scored by a logistic fusion of four features (BM25 share of the query's best possible BM25
   score, BM25 relative to the best candidate for this query, character cosine, word cosine).
   The fusion weights (:data:`FUSION_WEIGHTS`) were fitted with :func:`fit_fusion_weights` on
   the CheckThat! 2022 2A *train* qrels only (``similar_eval --fit-weights`` re-runs it);
   the dev qrels were only used to report. The fit kept BM25 share and character cosine
   (2:1) and gave the other two features weight 0.

Score scale: ``search`` returns ``(id, score)`` with ``score`` in ``[0, 1]``, a logistic
estimate that the query restates the indexed claim (fitted on tweet -> Snopes claim pairs).
Roughly: >= 0.8 near-duplicate / same claim; 0.5-0.8 probably the same claim worded
differently; < 0.3 only topical overlap. :data:`DEFAULT_THRESHOLD` (0.5) is a reasonable
"this looks like an existing claim" warning level.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp

from claims.corroboration.core import text as textlib

DEFAULT_THRESHOLD = 0.5
#: Logistic map from embedding cosine to "restates the claim": (bias, cosine weight).
#: Fitted on CheckThat! 2022 2A TRAIN queries (300 of them, seed 13, against their nearest
#: verified claims; ``similar_eval --fit-vector`` refits it on all): 0.5 at cosine 0.89.
VECTOR_WEIGHTS: tuple[float, float] = (-89.993, 101.142)

#: Logistic fusion weights: (bias, bm25_share, bm25_rel_top, char_cos, word_cos).
#: Fitted by ``fit_fusion_weights`` on the CheckThat! 2022 2A English TRAIN qrels.
FUSION_WEIGHTS: tuple[float, ...] = (-9.002, 24.716, 0.0, 12.358, 0.0)
FEATURE_NAMES = ("bm25_share", "bm25_rel_top", "char_cos", "word_cos")

_URL_RE = re.compile(r"pic\.twitter\.com/\S+|https?://\S+|www\.\S+", re.I)
_TAG_RE = re.compile(r"[#@](\w+)")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|_")
_TRAILER_DATE_RE = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+\d{1,2},\s+\d{4}\s*$"
)
STOP_WORDS = textlib.STOP_WORDS


def normalize_text(text: str) -> str:
    """Strip links, split hashtags/mentions, drop a trailing tweet date."""
    text = _URL_RE.sub(" ", text or "")
    text = _TAG_RE.sub(lambda m: " " + _CAMEL_RE.sub(" ", m.group(1)) + " ", text)
    text = _TRAILER_DATE_RE.sub(" ", text.strip())
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip()


def word_tokens(text: str) -> list[str]:
    """Lower-cased, stop-word-filtered, lightly stemmed word tokens of normalised text."""
    return [textlib.stem(t) for t in textlib.tokenize(normalize_text(text))
            if t not in STOP_WORDS and t != "?"]


def _char_text(text: str) -> str:
    return normalize_text(text).lower()


class SimilarClaimIndex:
    """In-memory similar-claim index over ``[(id, text), ...]``.

    ``search(query, k)`` returns up to ``k`` ``(id, score)`` pairs, best first; ``score`` is
    in ``[0, 1]`` (see the module docstring for the scale).
    """

    def __init__(
        self,
        items: Iterable[tuple[object, str]],
        k1: float = 1.2,
        b: float = 0.75,
        weights: Sequence[float] = FUSION_WEIGHTS,
        candidates: int = 30,
    ):
        from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

        items = list(items)
        self.ids = [i for i, _ in items]
        texts = [t or "" for _, t in items]
        self.k1, self.b = k1, b
        self.weights = np.asarray(weights, dtype=np.float64)
        self.candidates = candidates
        self._empty = not items
        if self._empty:
            return
        # --- BM25 over words ---
        self._words = CountVectorizer(analyzer=word_tokens, dtype=np.float32)
        tf = self._words.fit_transform(texts).tocsr().astype(np.float32)
        n_docs = tf.shape[0]
        df = np.bincount(tf.indices, minlength=tf.shape[1])
        self._idf = np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        doc_len = np.asarray(tf.sum(axis=1)).ravel()
        avg_len = float(doc_len.mean()) or 1.0
        coo = tf.tocoo()
        denom = coo.data + k1 * (1 - b + b * doc_len[coo.row] / avg_len)
        data = coo.data * (k1 + 1) / denom * self._idf[coo.col]
        self._bm25 = sp.csr_matrix((data, (coo.row, coo.col)), shape=tf.shape).T.tocsr()
        # word TF-IDF cosine (same vocabulary)
        wt = tf.copy()
        wt.data = 1 + np.log(wt.data)
        wt = wt.multiply(self._idf[None, :]).tocsr()
        self._word_docs = _l2(wt).T.tocsr()
        # --- character n-gram TF-IDF ---
        self._chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(3, 5),
            min_df=1 if n_docs < 1000 else 2,
            sublinear_tf=True,
            preprocessor=_char_text,
            dtype=np.float32,
        )
        self._char_docs = self._chars.fit_transform(texts).T.tocsr()

    def __len__(self) -> int:
        return len(self.ids)

    # -- scoring ---------------------------------------------------------------------------
    def _raw_scores(self, queries: Sequence[str]):
        q = self._words.transform(queries).tocsr()
        q.data[:] = 1.0
        bm25 = np.asarray((q @ self._bm25).todense())
        best_possible = np.asarray(q @ (self._idf * (self.k1 + 1))).ravel()
        qw = _l2(q.multiply(self._idf[None, :]).tocsr())
        word = np.asarray((qw @ self._word_docs).todense())
        qc = self._chars.transform(queries)
        char = np.asarray((qc @ self._char_docs).todense())
        return bm25, best_possible, word, char

    def candidate_features(self, queries: Sequence[str]):
        """For each query: (candidate doc indices, feature matrix ``(n_cand, 4)``)."""
        bm25, best_possible, word, char = self._raw_scores(queries)
        out = []
        n = bm25.shape[1]
        c = min(self.candidates, n)
        for i in range(len(queries)):
            cand = np.union1d(_top(bm25[i], c), _top(char[i], c))
            top_bm = float(bm25[i].max()) or 1.0
            feats = np.column_stack(
                [
                    bm25[i, cand] / max(best_possible[i], 1e-9),
                    bm25[i, cand] / top_bm,
                    char[i, cand],
                    word[i, cand],
                ]
            )
            out.append((cand, feats))
        return out

    def _fuse(self, feats: np.ndarray) -> np.ndarray:
        z = self.weights[0] + feats @ self.weights[1:]
        return 1.0 / (1.0 + np.exp(-z))

    def search_many(self, queries: Sequence[str], k: int = 5) -> list[list[tuple[object, float]]]:
        if self._empty:
            return [[] for _ in queries]
        results = []
        for cand, feats in self.candidate_features(list(queries)):
            scores = self._fuse(feats)
            order = np.argsort(-scores, kind="stable")[:k]
            results.append([(self.ids[cand[j]], float(scores[j])) for j in order])
        return results

    def search(self, query_text: str, k: int = 5) -> list[tuple[object, float]]:
        return self.search_many([query_text], k)[0]

    def bm25_search_many(self, queries: Sequence[str], k: int = 5):
        """Plain BM25 ranking (the baseline) with raw BM25 scores."""
        if self._empty:
            return [[] for _ in queries]
        bm25 = self._raw_scores(list(queries))[0]
        return [[(self.ids[j], float(row[j])) for j in _top(row, k)] for row in bm25]


class BM25Baseline:
    """Plain BM25 (k1=1.2, b=0.75; lower-cased ``\\w\\w+`` tokens, no stemming, stop words or
    tweet normalisation) over the same texts: the comparison baseline."""

    def __init__(self, items: Iterable[tuple[object, str]], k1: float = 1.2, b: float = 0.75):
        from sklearn.feature_extraction.text import CountVectorizer

        items = list(items)
        self.ids = [i for i, _ in items]
        self._cv = CountVectorizer(dtype=np.float32)
        tf = self._cv.fit_transform([t or "" for _, t in items]).tocsr()
        df = np.bincount(tf.indices, minlength=tf.shape[1])
        idf = np.log1p((tf.shape[0] - df + 0.5) / (df + 0.5)).astype(np.float32)
        doc_len = np.asarray(tf.sum(axis=1)).ravel()
        coo = tf.tocoo()
        denom = coo.data + k1 * (1 - b + b * doc_len[coo.row] / (doc_len.mean() or 1.0))
        data = coo.data * (k1 + 1) / denom * idf[coo.col]
        self._w = sp.csr_matrix((data, (coo.row, coo.col)), shape=tf.shape).T.tocsr()

    def search_many(self, queries: Sequence[str], k: int = 5):
        q = self._cv.transform(list(queries))
        q.data[:] = 1.0
        scores = np.asarray((q @ self._w).todense())
        return [[(self.ids[j], float(row[j])) for j in _top(row, k)] for row in scores]


def _top(row: np.ndarray, k: int) -> np.ndarray:
    k = min(k, row.shape[0])
    part = np.argpartition(-row, k - 1)[:k]
    return part[np.argsort(-row[part], kind="stable")]


def _l2(m):
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.diags(1.0 / norms) @ m


def vector_scores(cosines: np.ndarray, weights: Sequence[float] = VECTOR_WEIGHTS) -> np.ndarray:
    """Embedding cosines mapped to the lexical ranker's 0..1 "same claim" scale."""
    z = weights[0] + weights[1] * np.asarray(cosines, dtype=np.float64)
    return 1.0 / (1.0 + np.exp(-z))


def rank_similar(
    lexical: Mapping[object, float], vector_cosines: Mapping[object, float], k: int = 5,
    weights: Sequence[float] = VECTOR_WEIGHTS,
) -> list[tuple[object, float]]:
    """Fuse the two rankers' candidates: each claim's score is the larger of its lexical score
    and its mapped embedding cosine. Best first, at most ``k``."""
    scores = dict(lexical)
    if vector_cosines:
        ids = list(vector_cosines)
        mapped = vector_scores(np.array([vector_cosines[i] for i in ids]), weights)
        for claim_id, score in zip(ids, mapped, strict=True):
            scores[claim_id] = max(scores.get(claim_id, 0.0), float(score))
    return sorted(scores.items(), key=lambda item: (-item[1], str(item[0])))[:k]


def vclaim_text(vclaim: Mapping, fields: Sequence[str] = ("vclaim", "title", "subtitle")) -> str:
    """The indexed text of a CheckThat! verified claim."""
    return " ".join(str(vclaim.get(f) or "") for f in fields).strip()


__all__ = [
    "BM25Baseline",
    "DEFAULT_THRESHOLD",
    "FUSION_WEIGHTS",
    "SimilarClaimIndex",
    "normalize_text",
    "rank_similar",
    "vclaim_text",
    "vector_scores",
    "word_tokens",
]

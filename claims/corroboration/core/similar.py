"""Similar-claim search: "has this claim (or one like it) been seen or checked already?".

Used at claim intake over the newsroom's own claims (hundreds to ~100k short texts) and
evaluated on CLEF CheckThat! 2022 task 2A (tweets against Snopes verified claims).

Method (lexical, CPU-only, no trained artifact):

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

DEFAULT_THRESHOLD = 0.5

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
_WORD_RE = re.compile(r"[a-z0-9]+")

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves s t amp rt via""".split()
)


def normalize_text(text: str) -> str:
    """Strip links, split hashtags/mentions, drop a trailing tweet date."""
    text = _URL_RE.sub(" ", text or "")
    text = _TAG_RE.sub(lambda m: " " + _CAMEL_RE.sub(" ", m.group(1)) + " ", text)
    text = _TRAILER_DATE_RE.sub(" ", text.strip())
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip()


def _stem(tok: str) -> str:
    for suffix in ("ingly", "edly", "ing", "ies", "ed", "es", "s"):
        if tok.endswith(suffix) and len(tok) - len(suffix) >= 3:
            return tok[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return tok


def word_tokens(text: str) -> list[str]:
    """Lower-cased, stop-word-filtered, lightly stemmed word tokens of normalised text."""
    return [_stem(t) for t in _WORD_RE.findall(normalize_text(text).lower()) if t not in STOP_WORDS]


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


def fit_fusion_weights(
    index: SimilarClaimIndex,
    queries: Mapping[str, str],
    qrels: Mapping[str, set],
    k: int = 5,
    grid: Sequence[float] = (0.0, 1.0, 2.0, 4.0, 6.0, 8.0),
) -> tuple[float, ...]:
    """Fit :data:`FUSION_WEIGHTS` on training queries (use the TRAIN qrels only).

    1. Ranking: grid search of the feature weights (char cosine weight fixed to 1 scale-free
       direction search over ``grid``) maximising MAP@k of the fused linear score.
    2. Calibration: logistic regression of "is the relevant claim" on the chosen linear score
       over all candidates, giving the probability-like ``[0, 1]`` scale.
    """
    import itertools

    from sklearn.linear_model import LogisticRegression

    from .metrics import mean_average_precision_at_k

    qids = [q for q in qrels if q in queries]
    data = list(zip(qids, index.candidate_features([queries[q] for q in qids]), strict=True))
    labels = [np.array([index.ids[j] in qrels[q] for j in cand]) for q, (cand, _) in data]
    sub_qrels = {q: qrels[q] for q in qids}

    def train_map(w: np.ndarray) -> float:
        ranked = {}
        for q, (cand, feats) in data:
            order = np.argsort(-(feats @ w), kind="stable")[:k]
            ranked[q] = [index.ids[cand[j]] for j in order]
        return mean_average_precision_at_k(ranked, sub_qrels, k)

    best_w, best_map = None, -1.0
    for combo in itertools.product(grid, grid, [1.0], grid):
        w = np.array(combo) / 4.0
        if not w.any():
            continue
        m = train_map(w)
        if m > best_map + 1e-9:
            best_w, best_map = w, m
    z = np.concatenate([feats @ best_w for _, (_, feats) in data])[:, None]
    y = np.concatenate(labels).astype(int)
    lr = LogisticRegression(C=100.0, max_iter=1000).fit(z, y)
    scale = float(lr.coef_[0][0])
    return (float(lr.intercept_[0]), *(float(v) * scale for v in best_w))


def vclaim_text(vclaim: Mapping, fields: Sequence[str] = ("vclaim", "title", "subtitle")) -> str:
    """The indexed text of a CheckThat! verified claim."""
    return " ".join(str(vclaim.get(f) or "") for f in fields).strip()


def map_at_k(results: Mapping[str, Sequence], qrels: Mapping[str, set], k: int = 5) -> float:
    from .metrics import mean_average_precision_at_k

    return mean_average_precision_at_k(
        {q: [doc for doc, _ in res] for q, res in results.items()}, qrels, k
    )


__all__ = [
    "BM25Baseline",
    "DEFAULT_THRESHOLD",
    "FUSION_WEIGHTS",
    "SimilarClaimIndex",
    "fit_fusion_weights",
    "map_at_k",
    "normalize_text",
    "vclaim_text",
    "word_tokens",
]

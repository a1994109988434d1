"""Stance of an article body towards a claim (FNC-1 labels: agree/disagree/discuss/unrelated).

A small, CPU-only model: hand-built lexical features (TF-IDF cosines between the claim and the
body, its lead and its best-matching sentences; token and stem overlap; refuting, hedging and
supporting cue words counted in the body near claim words) plus low-rank (SVD) projections of
both texts, fed to two gradient-boosted classifiers: related-vs-unrelated, then
agree/disagree/discuss on the related pairs (class-weighted so that ``disagree`` is not ignored).

No Django imports: the management commands and the web app wrap this module.

Usage::

    model = get_stance_model()              # the committed artifact, loaded once
    [pred] = model.predict([(claim_text, article_body)])
    pred.label, pred.confidence, pred.probabilities
    PRODUCT_STANCE[pred.label]              # -> "supports" / "denies" / "discusses" / None
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np

LABELS = ("agree", "disagree", "discuss", "unrelated")
RELATED_LABELS = ("agree", "disagree", "discuss")

#: How the product names each FNC-1 stance (``unrelated`` is not evidence either way).
PRODUCT_STANCE: dict[str, str | None] = {
    "agree": "supports",
    "disagree": "denies",
    "discuss": "discusses",
    "unrelated": None,
}

ARTIFACT_DIR = Path(__file__).resolve().parent / "artifacts"
DEFAULT_MODEL_PATH = ARTIFACT_DIR / "stance_model.joblib"
DEFAULT_METADATA_PATH = ARTIFACT_DIR / "stance_model.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class StancePrediction:
    label: str
    confidence: float
    probabilities: dict[str, float] = field(default_factory=dict)
    #: Set when the denial/assertion cue layer (``predict(..., cues=True)``) chose the label.
    cue: str = ""

    @property
    def product_stance(self) -> str | None:
        return PRODUCT_STANCE[self.label]


# --- text processing --------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENT_RE = re.compile(r"(?<=[.!?])\s+|\n+")

STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself now of off on once only or other our ours ourselves
    out over own same she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves said says say
    also s t""".split()
)

REFUTING = tuple(
    """
    fake fraud hoax false deny denies denied denial not despite nope doubt doubts bogus debunk
    debunked debunks pranks prank retract retracted refute refuted refutes untrue no never
    isn't wasn't didn't doesn't don't aren't won't neither nor rumor rumors rumour rumours myth
    satire satirical misleading incorrect wrong dismissed dismisses rejected rejects contrary
    baseless unfounded fabricated lie lies lying nonsense disputed disputes cannot can't
    without however but
    """.split()
)
HEDGING = tuple(
    """
    reportedly allegedly alleged claims claim claimed according apparently purportedly
    purported supposedly rumoured rumored may might could possibly possible perhaps unconfirmed
    unverified report reports reported suggest suggests suggested appears appear seems believed
    thought speculation speculate if whether unclear sources source suspected likely unknown
    investigating investigation ?
    """.split()
)
SUPPORTING = tuple(
    """
    confirmed confirms confirm official officially announced announces revealed reveals shows
    showed proof proves proved indeed actually true verified statement said told video footage
    photos witnesses
    """.split()
)
_REFUTE = frozenset(REFUTING)
_HEDGE = frozenset(HEDGING)
_SUPPORT = frozenset(SUPPORTING)
_CUE_LISTS = (_REFUTE, _HEDGE, _SUPPORT)

_N_LEAD_SENTENCES = 3
_TOP_SENTENCES = 3


def tokenize(text: str) -> list[str]:
    toks = _TOKEN_RE.findall(text.lower().replace("\u2019", "'"))
    if "?" in text:
        toks.append("?")
    return toks


def _stem(tok: str) -> str:
    return tok[:6]


def _content(tokens: Iterable[str]) -> list[str]:
    return [t for t in tokens if t not in STOP_WORDS and len(t) > 1 and t != "?"]


def split_sentences(text: str, limit: int = 60) -> list[str]:
    sents = [s.strip() for s in _SENT_RE.split(text) if s and s.strip()]
    return sents[:limit] or [text[:500]]


def _bigrams(tokens: Sequence[str]) -> set[tuple[str, str]]:
    return set(zip(tokens, tokens[1:], strict=False))


def _cue_counts(tokens: Sequence[str]) -> list[int]:
    return [sum(1 for t in tokens if t in cues) for cues in _CUE_LISTS]


class _BodyInfo:
    """Everything about one body that does not depend on the claim (computed once per body)."""

    __slots__ = (
        "tokens",
        "content",
        "content_set",
        "stem_set",
        "bigram_set",
        "lead_set",
        "n_tokens",
        "sent_content_sets",
        "sent_cues",
        "sent_neg",
        "body_cues",
        "lead_cues",
        "row",
    )


class _FeatureExtractor:
    """Fitted text machinery: TF-IDF vectorisers and an SVD on the training texts."""

    def __init__(self, max_features: int = 20000, svd_dims: int = 60, seed: int = 13):
        self.max_features = max_features
        self.svd_dims = svd_dims
        self.seed = seed

    # -- fitting ------------------------------------------------------------------------
    def fit(self, headlines: Sequence[str], bodies: Sequence[str]) -> _FeatureExtractor:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = list(dict.fromkeys(headlines)) + list(dict.fromkeys(bodies))
        small = len(texts) < 200  # tiny corpora (tests): keep every term
        self.tfidf = TfidfVectorizer(
            tokenizer=_content_tokenizer,
            token_pattern=None,
            lowercase=False,
            ngram_range=(1, 2),
            min_df=1 if small else 2,
            max_df=1.0 if small else 0.5,
            sublinear_tf=True,
            max_features=self.max_features,
            dtype=np.float32,
        )
        X = self.tfidf.fit_transform(texts)
        dims = max(1, min(self.svd_dims, X.shape[1] - 1, X.shape[0] - 1))
        self.svd = TruncatedSVD(dims, random_state=self.seed, algorithm="randomized")
        self.svd.fit(X)
        self.svd.components_ = self.svd.components_.astype(np.float32)
        return self

    # -- persistence: SVD components stored as float16 (halves the artifact) ---------------
    def __getstate__(self):
        state = dict(self.__dict__)
        svd = state.get("svd")
        if svd is not None:
            import copy

            svd = copy.copy(svd)
            svd.components_ = svd.components_.astype(np.float16)
            state["svd"] = svd
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        svd = self.__dict__.get("svd")
        if svd is not None:
            svd.components_ = svd.components_.astype(np.float32)

    # -- per-text helpers -----------------------------------------------------------------
    def _body_info(self, body: str) -> _BodyInfo:
        info = _BodyInfo()
        toks = tokenize(body)
        content = _content(toks)
        info.tokens = toks
        info.content = content
        info.content_set = set(content)
        info.stem_set = {_stem(t) for t in content}
        info.bigram_set = _bigrams(content)
        info.n_tokens = len(toks)
        sents = split_sentences(body)
        sent_toks = [tokenize(s) for s in sents]
        info.sent_content_sets = [set(_content(t)) for t in sent_toks]
        info.sent_cues = np.array([_cue_counts(t) for t in sent_toks], dtype=np.float32)
        info.sent_neg = np.array(
            [sum(1 for t in st if t in _REFUTE) % 2 for st in sent_toks], dtype=np.float32
        )
        info.body_cues = np.array(_cue_counts(toks), dtype=np.float32)
        lead_toks = [t for st in sent_toks[:_N_LEAD_SENTENCES] for t in st]
        info.lead_set = set(_content(lead_toks))
        info.lead_cues = np.array(_cue_counts(lead_toks), dtype=np.float32)
        return info

    def transform(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        from sklearn.preprocessing import normalize

        heads = [h for h, _ in pairs]
        uniq_bodies = list(dict.fromkeys(b for _, b in pairs))
        body_index = {b: i for i, b in enumerate(uniq_bodies)}
        uniq_heads = list(dict.fromkeys(heads))
        head_index = {h: i for i, h in enumerate(uniq_heads)}

        infos = [self._body_info(b) for b in uniq_bodies]
        # Sentence-level matrices: all sentences of all bodies in one transform.
        sent_texts: list[str] = []
        sent_offsets = [0]
        leads: list[str] = []
        for b in uniq_bodies:
            sents = split_sentences(b)
            sent_texts.extend(sents)
            sent_offsets.append(len(sent_texts))
            leads.append(" ".join(sents[:_N_LEAD_SENTENCES]))
        B = self.tfidf.transform(uniq_bodies)
        L = self.tfidf.transform(leads)
        S = self.tfidf.transform(sent_texts)
        H = self.tfidf.transform(uniq_heads)
        Hs = normalize(self.svd.transform(H))
        Bs = normalize(self.svd.transform(B))

        head_tok = [tokenize(h) for h in uniq_heads]
        head_content = [_content(t) for t in head_tok]

        n = len(pairs)
        hi_idx = np.fromiter((head_index[h] for h in heads), dtype=np.int64, count=n)
        bi_idx = np.fromiter((body_index[b] for _, b in pairs), dtype=np.int64, count=n)
        # Vectorised cosines (rows are L2-normalised): headline vs body and vs lead.
        cos_body_all = np.asarray(H[hi_idx].multiply(B[bi_idx]).sum(axis=1)).ravel()
        cos_lead_all = np.asarray(H[hi_idx].multiply(L[bi_idx]).sum(axis=1)).ravel()
        # Sentence cosines: one sparse product per body against all its headlines.
        sent_cos_all: list[np.ndarray] = [None] * n  # type: ignore[list-item]
        by_body: dict[int, list[int]] = {}
        for k in range(n):
            by_body.setdefault(int(bi_idx[k]), []).append(k)
        S_csr = S.tocsr()
        for bi, ks in by_body.items():
            s0, s1 = sent_offsets[bi], sent_offsets[bi + 1]
            block = (S_csr[s0:s1] @ H[hi_idx[ks]].T).toarray()
            for col, k in enumerate(ks):
                sent_cos_all[k] = block[:, col]
        rows = []
        for k, (h, _b) in enumerate(pairs):
            hi = int(hi_idx[k])
            bi = int(bi_idx[k])
            info = infos[bi]
            htoks = head_tok[hi]
            hcont = head_content[hi]
            hset = set(hcont)
            nh = max(len(hset), 1)
            hstem = {_stem(t) for t in hcont}
            hbig = _bigrams(hcont)

            cos_body = float(cos_body_all[k])
            cos_lead = float(cos_lead_all[k])
            sent_cos = sent_cos_all[k]
            order = np.argsort(-sent_cos)
            top = order[:_TOP_SENTENCES]
            max_sent = float(sent_cos[order[0]]) if len(order) else 0.0
            mean_top = float(sent_cos[top].mean()) if len(top) else 0.0
            # cue words in the best-matching sentences and in sentences sharing claim words
            top_cues = info.sent_cues[top].sum(axis=0) if len(top) else np.zeros(3, np.float32)
            top_neg = float(info.sent_neg[top[0]]) if len(top) else 0.0
            near = [i for i, ss in enumerate(info.sent_content_sets) if len(ss & hset) >= 2]
            near_cues = info.sent_cues[near].sum(axis=0) if near else np.zeros(3, np.float32)

            overlap = len(hset & info.content_set) / nh
            lead_overlap = len(hset & info.lead_set) / nh
            stem_overlap = len(hstem & info.stem_set) / max(len(hstem), 1)
            big_overlap = len(hbig & info.bigram_set) / max(len(hbig), 1)
            jacc = len(hset & info.content_set) / max(len(hset | info.content_set), 1)
            # how often the body mentions claim words (with repetition), per body token
            mention_rate = sum(1 for t in info.content if t in hset) / max(len(info.content), 1)
            head_cues = _cue_counts(htoks)
            head_neg = sum(1 for t in htoks if t in _REFUTE) % 2
            nb = max(info.n_tokens, 1)
            row = [
                cos_body,
                cos_lead,
                max_sent,
                mean_top,
                float(np.dot(Hs[hi], Bs[bi])),
                overlap,
                lead_overlap,
                stem_overlap,
                big_overlap,
                jacc,
                mention_rate * 100,
                len(hcont),
                np.log1p(nb),
                len(near),
                len(near) / max(len(info.sent_cues), 1),
                *head_cues,
                head_neg,
                top_neg,
                float(head_neg == top_neg),
                *(info.body_cues * 100.0 / nb),
                *info.lead_cues,
                *top_cues,
                *near_cues,
                *(near_cues / max(len(near), 1)),
                float("?" in h),
            ]
            rows.append(row)
        hand = np.asarray(rows, dtype=np.float32).reshape(n, -1)
        hs = Hs[hi_idx]
        bs = Bs[bi_idx]
        return np.hstack([hand, hs, bs, hs * bs]).astype(np.float32)


def _content_tokenizer(text: str) -> list[str]:
    return _content(tokenize(text))


# --- the model --------------------------------------------------------------------------


class StanceModel:
    """Two-stage gradient-boosted stance classifier over :class:`_FeatureExtractor` features."""

    def __init__(self, extractor: _FeatureExtractor, relatedness, stance, metadata=None):
        self.extractor = extractor
        self.relatedness = relatedness  # binary: classes_ [0 unrelated, 1 related]
        self.stance = stance  # 3-way over RELATED_LABELS indices
        self.metadata = dict(metadata or {})

    # -- persistence ----------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | os.PathLike | None = None) -> StanceModel:
        path = Path(path) if path else DEFAULT_MODEL_PATH
        payload = joblib.load(path)
        if payload.get("format") != FORMAT_VERSION:
            raise ValueError(f"{path}: unsupported stance model format {payload.get('format')!r}")
        return cls(
            payload["extractor"], payload["relatedness"], payload["stance"], payload.get("metadata")
        )

    def save(self, path: str | os.PathLike | None = None) -> Path:
        path = Path(path) if path else DEFAULT_MODEL_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump(
            {
                "format": FORMAT_VERSION,
                "extractor": self.extractor,
                "relatedness": self.relatedness,
                "stance": self.stance,
                "metadata": self.metadata,
            },
            path,
            compress=("xz", 6),
        )
        return path

    # -- inference ------------------------------------------------------------------------
    def predict_proba(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """``(n, 4)`` probabilities in :data:`LABELS` order."""
        pairs = [(str(h or ""), str(b or "")) for h, b in pairs]
        if not pairs:
            return np.zeros((0, len(LABELS)), dtype=np.float64)
        X = self.extractor.transform(pairs)
        p_rel = _proba_by_class(self.relatedness, X, (0, 1))[:, 1]
        p_st = _proba_by_class(self.stance, X, (0, 1, 2))
        out = np.empty((len(pairs), 4), dtype=np.float64)
        out[:, :3] = p_st * p_rel[:, None]
        out[:, 3] = 1.0 - p_rel
        return out

    def predict(
        self, pairs: Sequence[tuple[str, str]], *, cues: bool = False
    ) -> list[StancePrediction]:
        """Predictions; with ``cues=True`` the denial/assertion layer of
        :mod:`stance_cues` may relabel a pair (what the product shows editors)."""
        probs = self.predict_proba(pairs)
        predictions = [_to_prediction(p) for p in probs]
        if cues:
            predictions = _with_cues(pairs, predictions)
        return predictions

    def predict_labels(self, pairs: Sequence[tuple[str, str]], *, cues: bool = False) -> list[str]:
        if cues:
            return [p.label for p in self.predict(pairs, cues=True)]
        return [LABELS[i] for i in _decide(self.predict_proba(pairs))]

    # -- training -------------------------------------------------------------------------
    @classmethod
    def train(
        cls,
        stances_rows: Iterable,
        bodies: Mapping[str, str],
        seed: int = 13,
        max_features: int = 20000,
        svd_dims: int = 60,
        disagree_weight: float = 3.0,
    ) -> StanceModel:
        """Fit on FNC-1 style rows (``.headline``, ``.body_id``, ``.stance`` or 3-tuples)."""
        from sklearn.ensemble import HistGradientBoostingClassifier

        rows = [_as_triple(r) for r in stances_rows]
        pairs = [(h, bodies[b]) for h, b, _ in rows]
        y = np.array([LABELS.index(s) for _, _, s in rows])
        extractor = _FeatureExtractor(max_features, svd_dims, seed).fit(
            [h for h, _ in pairs], [bodies[b] for b in dict.fromkeys(b for _, b, _ in rows)]
        )
        X = extractor.transform(pairs)
        related = y != 3
        relatedness = HistGradientBoostingClassifier(
            max_iter=300,
            learning_rate=0.1,
            max_leaf_nodes=31,
            l2_regularization=1.0,
            random_state=seed,
        ).fit(X, related.astype(int))
        y_st = y[related]
        counts = np.bincount(y_st, minlength=3).astype(float)
        weights = (counts.sum() / (3 * np.maximum(counts, 1))) ** 0.5
        weights[1] *= disagree_weight / max(weights[1], 1e-9) if disagree_weight else 1.0
        stance = HistGradientBoostingClassifier(
            max_iter=400,
            learning_rate=0.08,
            max_leaf_nodes=31,
            l2_regularization=1.0,
            random_state=seed,
        ).fit(X[related], y_st, sample_weight=weights[y_st])
        meta = {
            "seed": seed,
            "max_features": max_features,
            "svd_dims": svd_dims,
            "disagree_weight": disagree_weight,
            "n_train_pairs": len(rows),
        }
        return cls(extractor, relatedness, stance, meta)


def _proba_by_class(clf, X: np.ndarray, classes: Sequence[int]) -> np.ndarray:
    """``predict_proba`` laid out over ``classes`` (a class absent from training gets 0)."""
    proba = clf.predict_proba(X)
    if list(clf.classes_) == list(classes):
        return proba
    out = np.zeros((X.shape[0], len(classes)), dtype=np.float64)
    for j, c in enumerate(clf.classes_):
        out[:, list(classes).index(int(c))] = proba[:, j]
    return out


def _as_triple(row) -> tuple[str, str, str]:
    if hasattr(row, "headline"):
        return row.headline, str(row.body_id), row.stance
    h, b, s = row
    return h, str(b), s


def _decide(probs: np.ndarray) -> np.ndarray:
    """Unrelated if P(unrelated) > 0.5, else the most likely related stance."""
    rel_choice = np.argmax(probs[:, :3], axis=1)
    return np.where(probs[:, 3] > 0.5, 3, rel_choice)


def _to_prediction(p: np.ndarray) -> StancePrediction:
    idx = int(_decide(p[None, :])[0])
    probs = {label: round(float(v), 4) for label, v in zip(LABELS, p, strict=True)}
    return StancePrediction(LABELS[idx], float(p[idx]), probs)


def _with_cues(
    pairs: Sequence[tuple[str, str]], predictions: list[StancePrediction]
) -> list[StancePrediction]:
    from claims.corroboration import stance_cues

    terms: dict[str, stance_cues.ClaimTerms] = {}
    out = []
    for (claim, document), pred in zip(pairs, predictions, strict=True):
        claim, document = str(claim or ""), str(document or "")
        if claim not in terms:
            terms[claim] = stance_cues.ClaimTerms(claim)
        # A confidently unrelated pair is never relabelled: skip reading it (throughput).
        if pred.probabilities.get("unrelated", 0.0) >= stance_cues.SKIP_UNRELATED_ABOVE:
            out.append(pred)
            continue
        cue = stance_cues.detect(terms[claim], document)
        label, confidence = stance_cues.apply(pred.label, pred.probabilities, cue)
        if confidence is None:
            out.append(pred)
        else:
            out.append(StancePrediction(label, confidence, pred.probabilities, cue.cue))
    return out


@functools.lru_cache(maxsize=2)
def _load_cached(path: str) -> StanceModel:
    return StanceModel.load(path)


def get_stance_model(path: str | os.PathLike | None = None) -> StanceModel:
    """The stance model, loaded once per process (default: the committed artifact)."""
    return _load_cached(str(Path(path) if path else DEFAULT_MODEL_PATH))

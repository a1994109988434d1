"""Fitting and scoring the similar-claims ranker on CheckThat! 2022 task 2A (``similar_eval``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from claims.corroboration.core.similar import SimilarClaimIndex
from claims.corroboration.training.metrics import mean_average_precision_at_k


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


def map_at_k(results: Mapping[str, Sequence], qrels: Mapping[str, set], k: int = 5) -> float:
    return mean_average_precision_at_k(
        {q: [doc for doc, _ in res] for q, res in results.items()}, qrels, k
    )


def fit_vector_weights(cosines: np.ndarray, relevant: Sequence[set], ids: Sequence[object],
                       top: int = 30) -> tuple[float, float]:
    """Logistic map from embedding cosine to "restates the claim", fitted on each training
    query's nearest ``top`` verified claims (relevant or not)."""
    from sklearn.linear_model import LogisticRegression

    xs, ys = [], []
    for row, rel in enumerate(relevant):
        for j in np.argsort(-cosines[row])[:top]:
            xs.append(cosines[row, j])
            ys.append(ids[j] in rel)
    lr = LogisticRegression(C=100.0, max_iter=1000).fit(np.array(xs)[:, None], np.array(ys, int))
    return float(lr.intercept_[0]), float(lr.coef_[0][0])

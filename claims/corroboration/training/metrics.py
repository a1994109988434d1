"""Small, pure evaluation functions for the corroboration models."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from claims.corroboration.core.labels import MODEL_LABELS

STANCE_LABELS = tuple(str(label) for label in MODEL_LABELS)
RELATED = frozenset({"agree", "disagree", "discuss"})


def _fnc_raw(gold: Sequence[str], pred: Sequence[str]) -> float:
    score = 0.0
    for g, p in zip(gold, pred, strict=True):
        if (g == "unrelated") == (p == "unrelated"):
            score += 0.25
            if g != "unrelated" and g == p:
                score += 0.75
    return score


def fnc_score(gold: Sequence[str], pred: Sequence[str]) -> float:
    """FNC-1 relative score: the official weighted score divided by the best achievable.

    Per pair: +0.25 when gold and prediction agree on related/unrelated; +0.75 more when the
    gold label is related and the prediction equals it.
    """
    best = _fnc_raw(gold, gold)
    if best == 0:
        return 0.0
    return _fnc_raw(gold, pred) / best


def confusion_matrix(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] = STANCE_LABELS
) -> list[list[int]]:
    """``matrix[i][j]`` = number of items whose gold is ``labels[i]`` predicted as ``labels[j]``."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        matrix[index[g]][index[p]] += 1
    return matrix


def per_class_f1(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] = STANCE_LABELS
) -> dict[str, float]:
    matrix = confusion_matrix(gold, pred, labels)
    out = {}
    for i, label in enumerate(labels):
        tp = matrix[i][i]
        fp = sum(matrix[r][i] for r in range(len(labels))) - tp
        fn = sum(matrix[i]) - tp
        denom = 2 * tp + fp + fn
        out[label] = (2 * tp / denom) if denom else 0.0
    return out


def macro_f1(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str] = STANCE_LABELS
) -> float:
    """Unweighted mean of the per-class F1 over ``labels`` (0 for a class never seen nor said)."""
    f1 = per_class_f1(gold, pred, labels)
    return sum(f1.values()) / len(labels)


def format_confusion(matrix: list[list[int]], labels: Sequence[str] = STANCE_LABELS) -> str:
    width = max(9, *(len(label) for label in labels)) + 1
    head = "gold\\pred".ljust(width) + "".join(label.rjust(width) for label in labels)
    lines = [head]
    for label, row in zip(labels, matrix, strict=True):
        lines.append(label.ljust(width) + "".join(str(v).rjust(width) for v in row))
    return "\n".join(lines)


def average_precision_at_k(
    ranked: Sequence[str], relevant: set[str] | frozenset[str], k: int
) -> float:
    """AP@k as in the CheckThat! scorer: the sum of precision@i at each relevant hit in the top
    ``k``, divided by the number of relevant documents (one relevant doc: ``1/rank`` if
    ``rank <= k`` else 0)."""
    if not relevant:
        return 0.0
    hits = 0
    total = 0.0
    for i, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant)


def mean_average_precision_at_k(
    rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, set[str]], k: int = 5
) -> float:
    """MAP@k over the queries in ``qrels`` (a query without a ranking scores 0)."""
    if not qrels:
        return 0.0
    total = sum(average_precision_at_k(rankings.get(q, []), rel, k) for q, rel in qrels.items())
    return total / len(qrels)

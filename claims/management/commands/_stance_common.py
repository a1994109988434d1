"""Shared evaluation/reporting for the stance management commands (not a command itself)."""

from __future__ import annotations

import os
import statistics
import time

from claims.corroboration import metrics
from claims.corroboration.stance import LABELS


def throughput(model, pairs, runs: int = 3) -> list[float]:
    """Pairs/second of ``model.predict`` on one thread (BLAS/OpenMP pools limited to 1)."""
    from threadpoolctl import threadpool_limits

    out = []
    with threadpool_limits(limits=1):
        old = os.environ.get("OMP_NUM_THREADS")
        os.environ["OMP_NUM_THREADS"] = "1"
        try:
            for _ in range(runs):
                t0 = time.perf_counter()
                model.predict(pairs)
                out.append(len(pairs) / max(time.perf_counter() - t0, 1e-9))
        finally:
            if old is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = old
    return out


def evaluate(model, rows, bodies, runs: int = 3) -> dict:
    pairs = [(r.headline, bodies[r.body_id]) for r in rows]
    gold = [r.stance for r in rows]
    pred = model.predict_labels(pairs)
    speeds = throughput(model, pairs, runs)
    return {
        "pairs": len(pairs),
        "fnc_score": round(metrics.fnc_score(gold, pred), 4),
        "macro_f1": round(metrics.macro_f1(gold, pred), 4),
        "per_class_f1": {k: round(v, 4) for k, v in metrics.per_class_f1(gold, pred).items()},
        "confusion": metrics.confusion_matrix(gold, pred, LABELS),
        "labels": list(LABELS),
        "pairs_per_second_median": round(statistics.median(speeds), 1),
        "pairs_per_second_runs": [round(s, 1) for s in speeds],
    }


def print_report(stdout, report: dict) -> None:
    stdout.write(f"FNC score: {report['fnc_score']:.4f}")
    stdout.write(f"macro-F1: {report['macro_f1']:.4f}")
    stdout.write(
        "per-class F1: " + ", ".join(f"{k} {v:.4f}" for k, v in report["per_class_f1"].items())
    )
    stdout.write("confusion matrix (rows gold, columns predicted):")
    stdout.write(metrics.format_confusion(report["confusion"], report["labels"]))
    runs = ", ".join(f"{s:.0f}" for s in report["pairs_per_second_runs"])
    stdout.write(
        f"pairs/second (1 thread, median of {len(report['pairs_per_second_runs'])}): "
        f"{report['pairs_per_second_median']:.0f}  [runs: {runs}]"
    )

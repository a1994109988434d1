"""Shared evaluation/reporting for the stance management commands (not a command itself)."""

from __future__ import annotations

import os
import statistics
import time

from claims.corroboration import metrics
from claims.corroboration.stance import LABELS


def throughput(model, pairs, runs: int = 3, cues: bool = False) -> list[float]:
    """Pairs/second of ``model.predict`` on one thread (BLAS/OpenMP pools limited to 1)."""
    from threadpoolctl import threadpool_limits

    out = []
    with threadpool_limits(limits=1):
        old = os.environ.get("OMP_NUM_THREADS")
        os.environ["OMP_NUM_THREADS"] = "1"
        try:
            for _ in range(runs):
                t0 = time.perf_counter()
                model.predict(pairs, cues=cues)
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
    # The product's labels: the model plus the denial/assertion cue layer (stance_cues).
    cue_pred = model.predict_labels(pairs, cues=True)
    cue_speeds = throughput(model, pairs, runs, cues=True)
    with_cues = {
        "fnc_score": round(metrics.fnc_score(gold, cue_pred), 4),
        "macro_f1": round(metrics.macro_f1(gold, cue_pred), 4),
        "per_class_f1": {k: round(v, 4) for k, v in metrics.per_class_f1(gold, cue_pred).items()},
        "confusion": metrics.confusion_matrix(gold, cue_pred, LABELS),
        "changed_labels": sum(1 for a, b in zip(pred, cue_pred, strict=True) if a != b),
        "pairs_per_second_median": round(statistics.median(cue_speeds), 1),
    }
    return {
        "pairs": len(pairs),
        "fnc_score": round(metrics.fnc_score(gold, pred), 4),
        "macro_f1": round(metrics.macro_f1(gold, pred), 4),
        "per_class_f1": {k: round(v, 4) for k, v in metrics.per_class_f1(gold, pred).items()},
        "confusion": metrics.confusion_matrix(gold, pred, LABELS),
        "labels": list(LABELS),
        "pairs_per_second_median": round(statistics.median(speeds), 1),
        "pairs_per_second_runs": [round(s, 1) for s in speeds],
        "with_cues": with_cues,
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
    cued = report.get("with_cues")
    if cued:
        stdout.write(
            f"with cues (product labels): FNC score (with cues): {cued['fnc_score']:.4f}  "
            f"macro-F1 (with cues): {cued['macro_f1']:.4f}  "
            f"labels changed: {cued['changed_labels']}"
        )
        stdout.write(
            "per-class F1 (with cues): "
            + ", ".join(f"{k} {v:.4f}" for k, v in cued["per_class_f1"].items())
        )
        stdout.write(metrics.format_confusion(cued["confusion"], report["labels"]))
        stdout.write(
            f"pairs/second with cues (1 thread, median): {cued['pairs_per_second_median']:.0f}"
        )

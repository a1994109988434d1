"""Train the FNC-1 stance model on the body-disjoint 80 % split and report the 20 % hold-out.

The saved artifact is the model trained on the 80 % part only, so the hold-out scores written
to its metadata are honest (the model never saw those bodies).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from claims.corroboration import datasets
from claims.corroboration.stance import DEFAULT_MODEL_PATH, StanceModel

from ._stance_common import evaluate, print_report


def default_fnc_dir() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "fnc1"


class Command(BaseCommand):
    help = "Train the stance model (FNC-1), evaluate it on a body-disjoint 20% hold-out, save it."

    def add_arguments(self, parser):
        parser.add_argument("--stances", default=None, help="train_stances.csv")
        parser.add_argument("--bodies", default=None, help="train_bodies.csv")
        parser.add_argument("--out", default=str(DEFAULT_MODEL_PATH), help="artifact path")
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument(
            "--holdout-only",
            action="store_true",
            help="train on the 80%% part and report the hold-out, but save nothing",
        )

    def handle(self, *args, **opts):
        fnc = default_fnc_dir()
        stances_path = Path(opts["stances"] or fnc / "train_stances.csv")
        bodies_path = Path(opts["bodies"] or fnc / "train_bodies.csv")
        seed = opts["seed"]
        bodies = datasets.read_fnc_bodies(bodies_path)
        rows = datasets.read_fnc_stances(stances_path)
        train, holdout = datasets.body_disjoint_split(rows, seed=seed)
        self.stdout.write(
            f"pairs: {len(rows)} (train {len(train)}, hold-out {len(holdout)}; "
            f"bodies held out: {len({r.body_id for r in holdout})})"
        )
        t0 = time.perf_counter()
        model = StanceModel.train(train, bodies, seed=seed)
        self.stdout.write(f"trained in {time.perf_counter() - t0:.1f}s")

        out = Path(opts["out"])
        if opts["holdout_only"]:
            with tempfile.TemporaryDirectory() as tmp:  # same round trip as a saved artifact
                model = StanceModel.load(model.save(Path(tmp) / "model.joblib"))
        else:
            model.save(out)
            model = StanceModel.load(out)  # evaluate exactly what was written
        report = evaluate(model, holdout, bodies) if holdout else None
        if report:
            print_report(self.stdout, report)
        if opts["holdout_only"]:
            return
        meta = {
            "artifact": out.name,
            "artifact_bytes": out.stat().st_size,
            "trained_on": "FNC-1 train_stances.csv, body-disjoint 80% part (hold-out 20% of bodies)",
            "training_files": {
                stances_path.name: datasets.sha256_file(stances_path),
                bodies_path.name: datasets.sha256_file(bodies_path),
            },
            "seed": seed,
            "split": {
                "holdout_fraction": 0.2,
                "function": "datasets.body_disjoint_split",
                "train_pairs": len(train),
                "holdout_pairs": len(holdout),
            },
            "command": f"python manage.py stance_train --seed {seed}",
            "argv": " ".join(sys.argv[1:]) if sys.argv else "",
            "model": model.metadata,
            "holdout": {k: v for k, v in (report or {}).items() if k != "pairs_per_second_runs"},
        }
        meta_path = out.with_suffix(".json")
        meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
        self.stdout.write(f"saved {out} ({out.stat().st_size / 1e6:.2f} MB) and {meta_path.name}")

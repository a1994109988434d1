"""Evaluate a stance model on FNC-1 style CSVs: FNC score, macro-F1, confusion, throughput."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from claims.corroboration import datasets
from claims.corroboration.stance import StanceModel

from ._stance_common import evaluate, print_report


class Command(BaseCommand):
    help = "Evaluate the stance model on FNC-1 style stances/bodies CSVs."

    def add_arguments(self, parser):
        parser.add_argument("--stances", required=True)
        parser.add_argument("--bodies", required=True)
        parser.add_argument("--model", default=None, help="artifact (default: the committed one)")
        parser.add_argument(
            "--holdout",
            action="store_true",
            help="only the body-disjoint 20%% hold-out of the given files (as in stance_train)",
        )
        parser.add_argument("--seed", type=int, default=13, help="split seed for --holdout")
        parser.add_argument("--runs", type=int, default=3, help="throughput repetitions")

    def handle(self, *args, **opts):
        bodies = datasets.read_fnc_bodies(opts["bodies"])
        rows = datasets.read_fnc_stances(opts["stances"])
        if opts["holdout"]:
            rows = datasets.body_disjoint_split(rows, seed=opts["seed"])[1]
        rows = [r for r in rows if r.stance]
        missing = {r.body_id for r in rows} - set(bodies)
        if missing:
            raise CommandError(f"stances refer to unknown body ids: {sorted(missing)[:5]}")
        if not rows:
            raise CommandError("no labelled pairs to evaluate")
        model = StanceModel.load(opts["model"])
        self.stdout.write(f"pairs: {len(rows)}")
        print_report(self.stdout, evaluate(model, rows, bodies, runs=opts["runs"]))

"""Evaluate the stance model: FNC score, macro-F1, per class, per head, per language, calibration.

    python manage.py stance_eval --stances …/fnc1/train_stances.csv --bodies …/fnc1/train_bodies.csv \
        --emergent …/emergent --holdout
    python manage.py stance_eval --stances test_stances.csv --bodies test_bodies.csv

``--holdout`` keeps only the report part of ``stance_train``'s split (FNC-1 by story: no
headline, body or story of a report pair was seen in training; Emergent by claim; the same seed gives the same split, and it needs both data sets, as
the FNC-1 split follows Emergent's for headlines they share). Prints ``FNC score:`` and
``macro-F1:`` first, then per-class F1, per head, per language (the practice set in other
languages, always reported) and calibration (reliability table, Brier score). Embeddings are
computed (and cached in var/) for the texts evaluated.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.corroboration.core.stance import ArtifactMismatch, StanceModel
from claims.corroboration.training import datasets
from claims.corroboration.training import stance_training as training
from claims.corroboration.training.embedding_cache import EmbeddingCache
from claims.corroboration.training.stance_report import print_full_report, throughput
from claims.management.commands.stance_train import default_cache


class Command(BaseCommand):
    help = "Evaluate the stance model on FNC-1 style files, Emergent and the practice set."

    def add_arguments(self, parser):
        parser.add_argument("--stances", help="FNC-1 style stances CSV (Headline,Body ID,Stance)")
        parser.add_argument("--bodies", help="FNC-1 style bodies CSV (Body ID,articleBody)")
        parser.add_argument("--emergent", help="folder with Emergent stances.csv and bodies.csv")
        parser.add_argument("--model", default=None, help="artifact (default: the committed one)")
        parser.add_argument("--holdout", action="store_true",
                            help="only the report part of stance_train's split (unseen stories)")
        parser.add_argument("--seed", type=int, default=13, help="split seed for --holdout")
        parser.add_argument("--runs", type=int, default=3, help="throughput repetitions")
        parser.add_argument("--cache", default=None, help="embedding cache (default var/...)")
        parser.add_argument("--no-practice", action="store_true", help="skip the practice set")

    def handle(self, *args, **opts):
        if bool(opts["stances"]) != bool(opts["bodies"]):
            raise CommandError("--stances and --bodies go together.")
        try:
            model = StanceModel.load(opts["model"])
        except ArtifactMismatch as exc:
            raise CommandError(str(exc)) from None
        if opts["holdout"] and not (opts["stances"] and opts["emergent"]):
            raise CommandError("--holdout needs both FNC-1 (--stances/--bodies) and --emergent: "
                               "the split of one follows the other.")
        corpus = training.Corpus()
        fnc_rows, em_rows, fnc_bodies, em_bodies = [], [], {}, {}
        if opts["stances"]:
            fnc_bodies = datasets.read_fnc_bodies(opts["bodies"])
            fnc_rows = [r for r in datasets.read_fnc_stances(opts["stances"]) if r.stance]
            missing = {r.body_id for r in fnc_rows} - set(fnc_bodies)
            if missing:
                raise CommandError(f"stances refer to unknown body ids: {sorted(missing)[:5]}")
        if opts["emergent"]:
            folder = Path(opts["emergent"])
            em_bodies = datasets.read_fnc_bodies(folder / "bodies.csv")
            em_rows = datasets.read_fnc_stances(folder / "stances.csv")
        if opts["holdout"]:
            fnc_split, em_split = training.split_rows(fnc_rows, em_rows, em_bodies, opts["seed"])
        else:
            fnc_split = [(r, "report") for r in fnc_rows]
            em_split = [(r, "report") for r in em_rows]
        corpus.pairs += [training.fnc_pair(r, fnc_bodies, part) for r, part in fnc_split]
        corpus.pairs += [training.emergent_pair(r, em_bodies, part) for r, part in em_split]
        if not opts["no_practice"]:
            corpus.pairs += training.practice_pairs()
        corpus.pairs = [p for p in corpus.pairs if p.part == "report"]
        if not corpus.pairs:
            raise CommandError("no labelled pairs to evaluate")
        cache = EmbeddingCache(opts["cache"] or default_cache())
        corpus.pairs = training.attach_embeddings(corpus.pairs, cache, self.stdout.write)
        self.stdout.write(f"pairs: {len(corpus.pairs)}")
        report = training.evaluate_corpus(model, corpus)
        rows = [p.row for p in corpus.pairs][:3000]
        print_full_report(self.stdout, report, throughput(model, rows, runs=opts["runs"]))

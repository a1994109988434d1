"""Evaluate the similar-claim ranker on CheckThat! 2022 task 2A style files (MAP@5 vs BM25)."""

from __future__ import annotations

import time

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from claims.corroboration import datasets
from claims.corroboration.similar import (
    BM25Baseline,
    SimilarClaimIndex,
    fit_fusion_weights,
    map_at_k,
    vclaim_text,
)


class Command(BaseCommand):
    help = "MAP@5 of the similar-claim index (and a plain BM25 baseline) on CheckThat! 2A files."

    def add_arguments(self, parser):
        parser.add_argument("--vclaims", required=True, help="vclaims.jsonl")
        parser.add_argument("--queries", required=True, help="iclaim_id<TAB>iclaim TSV")
        parser.add_argument("--qrels", required=True, help="TREC qrels (only these queries count)")
        parser.add_argument("--k", type=int, default=5)
        parser.add_argument(
            "--fields", default="vclaim,title,subtitle", help="vclaim fields to index"
        )
        parser.add_argument(
            "--fit-weights",
            action="store_true",
            help="fit the fusion weights on the given qrels (use TRAIN qrels) and print them",
        )

    def handle(self, *args, **opts):
        fields = [f.strip() for f in opts["fields"].split(",") if f.strip()]
        vclaims = datasets.read_vclaims(opts["vclaims"])
        queries = datasets.read_queries(opts["queries"])
        qrels = datasets.read_qrels(opts["qrels"])
        qids = [q for q in qrels if q in queries]
        if not qids:
            raise CommandError("none of the qrels' queries are in the queries file")
        missing = len(qrels) - len(qids)
        items = [(v["vclaim_id"], vclaim_text(v, fields)) for v in vclaims]
        t0 = time.perf_counter()
        index = SimilarClaimIndex(items)
        built = time.perf_counter() - t0
        if opts["fit_weights"]:
            weights = fit_fusion_weights(index, queries, qrels, k=opts["k"])
            self.stdout.write(
                "fitted FUSION_WEIGHTS = (" + ", ".join(f"{w:.3f}" for w in weights) + ")"
            )
            index.weights = np.asarray(weights)
        texts = [queries[q] for q in qids]
        k = opts["k"]
        t0 = time.perf_counter()
        ours = dict(zip(qids, index.search_many(texts, k), strict=True))
        took = time.perf_counter() - t0
        baseline = BM25Baseline(items)
        bm25 = dict(zip(qids, baseline.search_many(texts, k), strict=True))
        bm25_ours = dict(zip(qids, index.bm25_search_many(texts, k), strict=True))
        self.stdout.write(
            f"documents: {len(items)}; queries with qrels: {len(qids)}"
            + (f" ({missing} qrels queries missing from the queries file)" if missing else "")
        )
        self.stdout.write(f"MAP@{k}: {map_at_k(ours, qrels, k):.4f}")
        self.stdout.write(f"BM25 MAP@{k}: {map_at_k(bm25, qrels, k):.4f}")
        self.stdout.write(
            f"(BM25 component with tweet normalisation + stemming alone: "
            f"{map_at_k(bm25_ours, qrels, k):.4f})"
        )
        self.stdout.write(f"index build {built:.1f}s; {len(qids) / max(took, 1e-9):.0f} queries/s")

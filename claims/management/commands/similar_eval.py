"""Evaluate the similar-claim ranker on CheckThat! 2022 task 2A style files (MAP@5 vs BM25).

    python manage.py similar_eval --vclaims …/vclaims.jsonl --queries …/dev_Queries.tsv --qrels …/dev_QRELs.tsv

``MAP@5`` is the product's ranker: the lexical index fused with embedding cosines
(``core.similar.rank_similar``). Embeddings of the verified claims are cached in var/
(the first run embeds all of them: about half an hour of one core). ``--no-vectors`` scores
the lexical ranker alone; ``--fit-vector`` fits the cosine-to-score map on the given (TRAIN)
qrels and prints it.
"""

from __future__ import annotations

import time

import numpy as np
from django.core.management.base import BaseCommand, CommandError

from claims.corroboration.core.similar import (
    VECTOR_WEIGHTS,
    BM25Baseline,
    SimilarClaimIndex,
    rank_similar,
    vclaim_text,
)
from claims.corroboration.training import datasets
from claims.corroboration.training.embedding_cache import EmbeddingCache
from claims.corroboration.training.similar_training import (
    fit_fusion_weights,
    fit_vector_weights,
    map_at_k,
)
from claims.management.commands.stance_train import default_cache


class Command(BaseCommand):
    help = "MAP@5 of the similar-claim ranker (and a plain BM25 baseline) on CheckThat! 2A files."

    def add_arguments(self, parser):
        parser.add_argument("--vclaims", required=True, help="vclaims.jsonl")
        parser.add_argument("--queries", required=True, help="iclaim_id<TAB>iclaim TSV")
        parser.add_argument("--qrels", required=True, help="TREC qrels (only these queries count)")
        parser.add_argument("--k", type=int, default=5)
        parser.add_argument("--fields", default="vclaim,title,subtitle", help="vclaim fields to index")
        parser.add_argument("--fit-weights", action="store_true",
                            help="fit the lexical fusion weights on the given (TRAIN) qrels")
        parser.add_argument("--fit-vector", action="store_true",
                            help="fit the embedding-cosine map on the given (TRAIN) qrels")
        parser.add_argument("--no-vectors", action="store_true", help="the lexical ranker alone")
        parser.add_argument("--cache", default=None, help="embedding cache (default var/...)")

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
            self.stdout.write("fitted FUSION_WEIGHTS = (" + ", ".join(f"{w:.3f}" for w in weights) + ")")
            index.weights = np.asarray(weights)
        texts = [queries[q] for q in qids]
        k = opts["k"]
        t0 = time.perf_counter()
        lexical = dict(zip(qids, index.search_many(texts, k * 2), strict=True))
        took = time.perf_counter() - t0
        vector_weights = VECTOR_WEIGHTS
        if opts["no_vectors"]:
            ours = {q: hits[:k] for q, hits in lexical.items()}
        else:
            cache = EmbeddingCache(opts["cache"] or default_cache())
            progress = self.stdout.write
            doc_vectors = cache.queries([t for _, t in items], progress)
            query_vectors = cache.queries(texts, progress)
            cosines = query_vectors @ doc_vectors.T
            if opts["fit_vector"]:
                vector_weights = fit_vector_weights(cosines, [qrels[q] for q in qids],
                                                    [i for i, _ in items])
                self.stdout.write(f"fitted VECTOR_WEIGHTS = ({vector_weights[0]:.3f}, "
                                  f"{vector_weights[1]:.3f})")
            ours = {}
            for row, q in enumerate(qids):
                top = np.argsort(-cosines[row])[: k * 2]
                vector = {items[j][0]: float(cosines[row, j]) for j in top}
                ours[q] = rank_similar(dict(lexical[q]), vector, k=k, weights=vector_weights)
        baseline = BM25Baseline(items)
        bm25 = dict(zip(qids, baseline.search_many(texts, k), strict=True))
        self.stdout.write(
            f"documents: {len(items)}; queries with qrels: {len(qids)}"
            + (f" ({missing} qrels queries missing from the queries file)" if missing else "")
        )
        self.stdout.write(f"MAP@{k}: {map_at_k(ours, qrels, k):.4f}")
        self.stdout.write(f"BM25 MAP@{k}: {map_at_k(bm25, qrels, k):.4f}")
        lexical_only = {q: hits[:k] for q, hits in lexical.items()}
        self.stdout.write(f"lexical ranker alone MAP@{k}: {map_at_k(lexical_only, qrels, k):.4f}")
        self.stdout.write("per language: en (CheckThat! 2022 2A is English only) "
                          f"MAP@{k} {map_at_k(ours, qrels, k):.4f}")
        self.stdout.write(f"index build {built:.1f}s; lexical {len(qids) / max(took, 1e-9):.0f} queries/s")

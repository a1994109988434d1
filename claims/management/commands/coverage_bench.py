"""Measure coverage matching throughput, the English path and the embedding path separately.

    python manage.py coverage_bench --documents 1000 --claims 10000 --runs 3

English path: documents/second stored (upsert, language, full-text index) and matched by the
lexical pass, p50/p95 per batch. Embedding path: documents/second one embedding worker
process (one core, one thread) embeds and matches by the semantic pass. Everything it creates
is marked (claims tagged ``bench-<run>``, documents under ``https://bench.invalid/``) and
removed at the end unless ``--keep``.
"""

from __future__ import annotations

import os
import statistics

from django.core.management.base import BaseCommand, CommandError

from claims.corroboration.training.bench import Bench, cleanup_all_bench_data
from claims.corroboration.training.search_bench import SearchBench, describe


class Command(BaseCommand):
    help = "Benchmark coverage matching: English path and embedding path (documents/second)."

    def add_arguments(self, parser):
        parser.add_argument("--documents", type=int, default=2000, help="documents per run")
        parser.add_argument("--claims", type=int, default=10000, help="open claims to seed")
        parser.add_argument("--batch-size", type=int, default=100, help="documents per batch")
        parser.add_argument("--runs", type=int, default=3, help="measured runs (median reported)")
        parser.add_argument("--embed-documents", type=int, default=100,
                            help="documents per run through the embedding path (0: skip it)")
        parser.add_argument("--naive-claims", type=int, default=200,
                            help="claims timed through the naive per-claim loop each run, "
                                 "extrapolated to all claims (0: skip it)")
        parser.add_argument("--search-documents", type=int, default=0,
                            help="also time full-text search over this many stored documents, "
                                 "seeded in bulk (kept with --keep and reused by the next run)")
        parser.add_argument("--search-queries", type=int, default=200,
                            help="searches timed over the stored documents")
        parser.add_argument("--keep", action="store_true", help="leave the bench data in place")
        parser.add_argument("--cleanup", action="store_true", help="only remove old bench data")

    def handle(self, *args, **opts):
        if opts["cleanup"]:
            claims, documents = cleanup_all_bench_data()
            self.stdout.write(f"Removed {claims} bench claims and {documents} bench documents.")
            return
        if opts["documents"] < 0 or opts["claims"] < 0 or opts["batch_size"] < 1 or opts["runs"] < 1:
            raise CommandError("--documents, --batch-size and --runs must be positive.")
        if opts["search_documents"] < 0 or opts["search_queries"] < 1:
            raise CommandError("--search-documents and --search-queries must be positive.")
        if opts["documents"] == 0 and not opts["search_documents"]:
            raise CommandError("Nothing to measure: give --documents, --search-documents or both.")
        if opts["search_documents"]:
            self.search(opts)
        if opts["documents"] == 0:
            return
        os.environ.setdefault("EMBEDDING_THREADS", "1")
        bench = Bench(documents=opts["documents"], claims=opts["claims"], batch_size=opts["batch_size"])
        self.stdout.write(f"Seeding {opts['claims']} open claims (tag {bench.tag_name})…")
        bench.seed_claims()
        embed_n = opts["embed_documents"]
        if embed_n:
            self.stdout.write("Embedding the bench claims (not timed)…")
            bench.embed_claims()
        english, embedded, naive = [], [], []
        try:
            for number in range(1, opts["runs"] + 1):
                bench.round = number
                result = bench.run_matching()
                english.append(result)
                self.stdout.write(
                    f"run {number}: English path {result.documents_per_second:7.1f} docs/s · "
                    f"p50 {result.p50 * 1000:6.0f} ms · p95 {result.p95 * 1000:6.0f} ms per "
                    f"{result.batch_size}-document batch · {result.suggestions} suggestions · "
                    f"{result.english_share:.0%} detected as English · "
                    f"{result.cpu_seconds:.2f} s of this process's CPU"
                )
                if opts["naive_claims"] and opts["claims"]:
                    loop = bench.run_naive(sample=opts["naive_claims"])
                    naive.append(loop)
                    self.stdout.write(
                        f"run {number}: naive per-claim loop {loop.documents_per_second:7.1f} docs/s "
                        f"· {statistics.median(loop.per_claim) * 1000:.1f} ms per claim "
                        f"({len(loop.per_claim)} of {loop.claims} claims timed, the rest "
                        f"extrapolated) · batched pass {result.documents_per_second / max(loop.documents_per_second, 1e-9):.1f}x faster"
                    )
                if embed_n:
                    result = bench.run_embedding(embed_n)
                    embedded.append(result)
                    self.stdout.write(
                        f"run {number}: embedding path {result.documents_per_second:7.1f} docs/s "
                        f"per worker core · {result.documents} documents · embedding "
                        f"{result.documents / max(result.embed_seconds, 1e-9):.1f} docs/s alone · "
                        f"{result.suggestions} suggestions after both passes"
                    )
                if not opts["keep"]:
                    bench.remove_documents()
        finally:
            if not opts["keep"]:
                bench.cleanup()
        self.stdout.write(self.style.SUCCESS(
            f"median of {len(english)} runs: "
            f"{statistics.median(r.documents_per_second for r in english):.1f} documents/second "
            f"with {opts['claims']} open claims; p50 "
            f"{statistics.median(r.p50 for r in english) * 1000:.0f} ms, p95 "
            f"{statistics.median(r.p95 for r in english) * 1000:.0f} ms per batch"
        ))
        if naive:
            batched = statistics.median(r.documents_per_second for r in english)
            loop_rate = statistics.median(r.documents_per_second for r in naive)
            self.stdout.write(self.style.SUCCESS(
                f"naive per-claim loop, median of {len(naive)} runs: {loop_rate:.1f} "
                f"documents/second; the batched pass is {batched / max(loop_rate, 1e-9):.1f}x faster"
            ))
        import resource

        # Linux reports kilobytes. This process did a worker's work with every model loaded
        # (language detector, stance model and, with --embed-documents, the e5 encoder).
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"peak resident memory of this process: {peak:.0f} MB")
        if embedded:
            self.stdout.write(self.style.SUCCESS(
                f"embedding path, median of {len(embedded)} runs: "
                f"{statistics.median(r.documents_per_second for r in embedded):.1f} "
                f"documents/second per worker core"
            ))

    def search(self, opts) -> None:
        """Full-text search over a large store (``--search-documents``)."""
        bench = SearchBench(documents=opts["search_documents"])
        stored = bench.stored()
        if stored < bench.documents:
            self.stdout.write(f"Seeding {bench.documents - stored} stored documents in bulk "
                              f"({stored} already there)…")
            seconds = bench.seed(progress=lambda n: self.stdout.write(f"  … {n} stored"))
            self.stdout.write(f"Seeded in {seconds:.0f} s.")
        try:
            timings = bench.time_searches(count=opts["search_queries"])
            total = bench.stored()
            broad = sum(1 for n in timings[0].results if n > 1000)
            self.stdout.write(f"full-text search over {total} stored documents "
                              f"({broad} of {opts['search_queries']} queries match more than 1,000):")
            for timing in timings:
                self.stdout.write(self.style.SUCCESS("  " + describe(timing)))
        finally:
            if not opts["keep"]:
                removed = bench.remove()
                self.stdout.write(f"Removed {removed} stored bench documents.")

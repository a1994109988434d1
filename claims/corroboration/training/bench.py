"""A repeatable throughput benchmark for coverage matching (``manage.py coverage_bench``).

Seeds a marked, removable batch: M open claims tagged ``bench-<run>`` and N documents under
``https://bench.invalid/<run>/``. Two paths are measured separately, as they run separately:

* the English path: documents stored in batches exactly as a feed poll stores them (upsert,
  language detection, full-text indexing), then the lexical matching pass; each batch's wall
  time (store + match) is one latency sample;
* the embedding path: what one embedding worker process does with those documents (embed
  their leads, then the semantic matching pass), on one thread: documents/second per core.
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from claims.corroboration import embedding, index_cache, matching
from claims.corroboration.core import embeddings
from claims.corroboration.core.stance import get_stance_model
from claims.models import Claim, CoverageSuggestion, Tag
from sources.connectors import FeedItem
from sources.documents import documents_upsert
from sources.models import Document

BENCH_URL_PREFIX = "https://bench.invalid/"
BENCH_TAG_PREFIX = "bench-"

_VERBS = [
    "asked", "funded", "banned", "approved", "blocked", "cancelled", "doubled", "cut", "sold",
    "bought", "closed", "opened", "hid", "leaked", "signed", "rejected", "delayed", "promised",
    "tripled", "halved", "exported", "imported", "audited", "censored", "recalled",
]
#: Plain English sentences the synthetic articles are written with, so that the language
#: detector reads them as English (made-up names and nouns alone read as Swedish or Danish,
#: and would send the English path's documents down the other languages' path).
_SENTENCES = (
    "The minister told reporters on Tuesday that further details would follow next week.",
    "Analysts cautioned that the markets remained volatile after the announcement.",
    "The opposition demanded an inquiry into the matter and called for a vote.",
    "Protests continued in the capital, where officials met union leaders.",
    "Business groups said they had not been consulted about the budget.",
    "A spokesperson for the government declined to comment on the report.",
    "Several people familiar with the talks said no agreement had been reached.",
    "The committee is expected to publish its findings before the end of the year.",
    "Local newspapers reported that the decision had surprised many residents.",
    "Critics argued that the plan would raise costs for ordinary families.",
    "The company said in a statement that it was reviewing the situation.",
    "Police said the investigation was still at an early stage.",
)
_HEADLINES = (
    "{name} says talks will continue next week",
    "Government under pressure over {noun} plans",
    "What we know about the {noun} dispute",
    "{name} warns of rising costs for families",
    "Officials meet union leaders as protests continue",
)


def _words(rng: random.Random, count: int) -> list[str]:
    syllables = ["ka", "lo", "mi", "ra", "ven", "tor", "sa", "del", "qui", "bar", "nes", "ul",
                 "pri", "ost", "gan", "fe", "zu", "rin", "mar", "tek"]
    seen: set[str] = set()
    while len(seen) < count:
        seen.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(seen)


@dataclass
class BenchResult:
    documents: int
    claims: int
    batch_size: int
    seconds: float
    latencies: list[float]
    suggestions: int
    #: Of ``seconds``, the time spent embedding (the rest is the semantic matching pass).
    embed_seconds: float = 0.0
    #: Share of the documents the language detector read as English.
    english_share: float = 0.0
    #: CPU time of this process over the timed work (PostgreSQL's is not in it): on a shared
    #: machine it moves far less than the wall time.
    cpu_seconds: float = 0.0

    @property
    def documents_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else 0.0

    @property
    def p95(self) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


@dataclass
class NaiveResult:
    """The per-claim loop: documents stored once, then one claim at a time."""

    documents: int
    claims: int
    store_seconds: float
    per_claim: list[float]

    @property
    def seconds(self) -> float:
        """Store time plus every claim's turn (the timed claims' mean times all claims)."""
        mean = statistics.fmean(self.per_claim) if self.per_claim else 0.0
        return self.store_seconds + mean * self.claims

    @property
    def documents_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


class Bench:
    def __init__(self, *, documents: int, claims: int, batch_size: int = 100, seed: int = 7):
        self.run = uuid.uuid4().hex[:8]
        self.round = 1
        self.documents = documents
        self.claims = claims
        self.batch_size = batch_size
        self.rng = random.Random(seed)
        vocabulary = _words(self.rng, 6000)
        self.names = vocabulary[:800]
        self.nouns = vocabulary[800:]
        self.claim_texts: list[str] = []
        #: "" for the batched pass's documents, "naive-" for the per-claim loop's own.
        self.phase = ""

    @property
    def tag_name(self) -> str:
        return f"{BENCH_TAG_PREFIX}{self.run}"

    @property
    def url_prefix(self) -> str:
        """Where this round's documents live (each measured round stores fresh documents)."""
        return f"{BENCH_URL_PREFIX}{self.run}/{self.phase}{self.round}/"

    def remove_documents(self) -> None:
        CoverageSuggestion.objects.filter(document__canonical_url__startswith=self.url_prefix).delete()
        Document.objects.filter(canonical_url__startswith=self.url_prefix).delete()

    def _claim_text(self) -> str:
        rng = self.rng
        return (
            f"{rng.choice(self.names).title()} {rng.choice(_VERBS)} {rng.choice(self.names).title()} "
            f"{' '.join(rng.sample(self.nouns, 3))} in {rng.randint(2015, 2025)}."
        )

    def seed_claims(self) -> None:
        user, _ = get_user_model().objects.get_or_create(
            username="coverage-bench", defaults={"is_active": False}
        )
        tag, _ = Tag.objects.get_or_create(name=self.tag_name)
        self.claim_texts = [self._claim_text() for _ in range(self.claims)]
        with transaction.atomic():
            created = Claim.objects.bulk_create(
                [Claim(text=text, claimant="Bench claimant", created_by=user) for text in self.claim_texts],
                batch_size=2000,
            )
            Claim.tags.through.objects.bulk_create(
                [Claim.tags.through(claim_id=c.pk, tag_id=tag.pk) for c in created], batch_size=5000
            )
            Claim.objects.filter(tags=tag).update(
                search_vector=SearchVector("text", weight="A", config="english")
                + SearchVector("claimant", weight="A", config="english")
            )
        # A live table is autovacuumed: flush the GIN pending list and refresh the planner's
        # statistics, as autovacuum would, so the bench measures the steady state.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE claims_claim")

    def _document(self, number: int) -> FeedItem:
        rng = self.rng
        filler = " ".join(rng.choice(_SENTENCES) for _ in range(12))
        if self.claim_texts and rng.random() < 0.6:
            about = rng.choice(self.claim_texts).rstrip(".")
            cue = rng.choice(["officials confirmed that", "reports say that", "it is false that",
                              "sources say that"])
            title = f"{about.split(' in ')[0]}, {rng.choice(['officials say', 'report says', 'critics deny'])}"
            text = f"{cue.capitalize()} {about}. {filler} {about}, the statement said."
        else:
            title = rng.choice(_HEADLINES).format(name=rng.choice(self.names).title(),
                                                  noun=rng.choice(self.nouns))
            text = filler
        # As a full-text feed delivers it: a short summary, the body as content:encoded.
        return FeedItem(url=f"{self.url_prefix}{number}", title=title, summary=text[:200],
                        extra={"content": text})

    def english_share(self) -> float:
        """Share of this round's stored documents detected as English (should be ~1)."""
        languages = list(Document.objects.filter(canonical_url__startswith=self.url_prefix)
                         .values_list("language", flat=True))
        return sum(1 for lang in languages if lang == "en") / max(len(languages), 1)

    def run_matching(self) -> BenchResult:
        # Warm the caches a deployed worker has warm: the stance model and the claim index.
        index_cache.open_claim_index()
        get_stance_model()
        latencies: list[float] = []
        cpu = 0.0
        started = time.perf_counter()
        for start in range(0, self.documents, self.batch_size):
            rows = [self._document(n) for n in range(start, min(start + self.batch_size, self.documents))]
            t0, c0 = time.perf_counter(), time.process_time()
            # The same path a feed poll takes: upsert + full-text indexing, then matching.
            stored = documents_upsert(items=rows)
            matching.documents_match(document_ids=stored.new_ids)
            latencies.append(time.perf_counter() - t0)
            cpu += time.process_time() - c0
        seconds = time.perf_counter() - started
        suggestions = CoverageSuggestion.objects.filter(document__canonical_url__startswith=self.url_prefix).count()
        # Throughput counts ingest (upsert + indexing) and match time, not making fake articles.
        return BenchResult(self.documents, self.claims, self.batch_size, sum(latencies) or seconds,
                           latencies, suggestions, english_share=self.english_share(),
                           cpu_seconds=cpu)

    def run_naive(self, *, sample: int) -> NaiveResult:
        """The loop the batched pass replaces, on documents of its own: the documents are
        stored exactly as above, then each claim in turn asks the full-text index for its
        documents and gets relevance and stance for them alone (``claim_match_documents``,
        the "gather coverage now" path). ``sample`` claims are timed; the loop over every
        claim is extrapolated from their mean (the whole loop at 10,000 claims takes minutes).
        """
        self.phase = "naive-"
        try:
            self.remove_documents()
            index_cache.open_claim_index()
            get_stance_model()
            rows = [self._document(n) for n in range(self.documents)]
            t0 = time.perf_counter()
            documents_upsert(items=rows)
            store_seconds = time.perf_counter() - t0
            ids = list(Claim.objects.filter(tags__name=self.tag_name).order_by("pk")
                       .values_list("pk", flat=True))
            chosen = sorted(self.rng.sample(ids, min(sample, len(ids))))
            claims = Claim.objects.filter(pk__in=chosen).order_by("pk")
            per_claim: list[float] = []
            for claim in claims:
                t0 = time.perf_counter()
                documents = matching.claim_candidate_documents(claim=claim)
                matching.claim_match_documents(claim=claim, document_ids=documents)
                per_claim.append(time.perf_counter() - t0)
            self.remove_documents()
        finally:
            self.phase = ""
        return NaiveResult(self.documents, len(ids), store_seconds, per_claim)

    def embed_claims(self) -> None:
        """Give the bench claims vectors, as the embedding queue would (not timed)."""
        ids = list(Claim.objects.filter(tags__name=self.tag_name, embedding__isnull=True)
                   .values_list("pk", flat=True))
        vectors = embeddings.embed_queries(
            list(Claim.objects.filter(pk__in=ids).order_by("pk").values_list("text", flat=True)))
        for pk, vector in zip(sorted(ids), vectors, strict=True):
            Claim.objects.filter(pk=pk).update(embedding=vector.tolist(), language="en")

    def run_embedding(self, documents: int) -> BenchResult:
        """The embedding worker's work on ``documents`` stored documents, on one thread."""
        from threadpoolctl import threadpool_limits

        ids = list(Document.objects.filter(canonical_url__startswith=self.url_prefix,
                                           embedding__isnull=True)
                   .order_by("pk").values_list("pk", flat=True)[:documents])
        latencies: list[float] = []
        embed_seconds = 0.0
        with threadpool_limits(limits=1):
            embeddings.embed_queries(["warm-up"])
            for start in range(0, len(ids), embedding.EMBED_CHUNK):
                t0 = time.perf_counter()
                done = embedding.documents_embed(document_ids=ids[start:start + embedding.EMBED_CHUNK])
                t1 = time.perf_counter()
                matching.documents_match_semantic(document_ids=done)
                embed_seconds += t1 - t0
                latencies.append(time.perf_counter() - t0)
        suggestions = CoverageSuggestion.objects.filter(document_id__in=ids).count()
        result = BenchResult(len(ids), self.claims, embedding.EMBED_CHUNK, sum(latencies),
                             latencies, suggestions)
        result.embed_seconds = embed_seconds
        return result

    def cleanup(self) -> None:
        with transaction.atomic():
            everything = f"{BENCH_URL_PREFIX}{self.run}/"
            CoverageSuggestion.objects.filter(document__canonical_url__startswith=everything).delete()
            Document.objects.filter(canonical_url__startswith=everything).delete()
            Claim.objects.filter(tags__name=self.tag_name).delete()
            Tag.objects.filter(name=self.tag_name).delete()
        index_cache.forget_indexes()


def cleanup_all_bench_data() -> tuple[int, int]:
    """Remove every bench batch ever left behind (``--keep``); returns (claims, documents)."""
    with transaction.atomic():
        CoverageSuggestion.objects.filter(document__canonical_url__startswith=BENCH_URL_PREFIX).delete()
        documents, _ = Document.objects.filter(canonical_url__startswith=BENCH_URL_PREFIX).delete()
        claims = Claim.objects.filter(tags__name__startswith=BENCH_TAG_PREFIX).distinct()
        claim_count = claims.count()
        Claim.objects.filter(pk__in=list(claims.values_list("pk", flat=True))).delete()
        Tag.objects.filter(name__startswith=BENCH_TAG_PREFIX).delete()
    index_cache.forget_indexes()
    return claim_count, documents

"""Full-text search over a large article store (``coverage_bench --search-documents N``).

Seeds N stored documents in bulk, in SQL (the matching pipeline would take hours for a
million), under ``https://bench.invalid/store/``, then times the two full-text searches the
product runs over stored coverage:

* ``documents_search`` — an editor's search of stored coverage (the "Search coverage" page),
  newest first and by relevance;
* ``claim_candidate_documents`` — a claim's full-text candidates ("gather coverage now").

The articles are English-like: each word is drawn from one vocabulary with Zipf's law (the
word of rank r about 1/r as often as the commonest), so that common words match a large share
of the store and rare ones a handful, as in real news. Queries mix common, middling and rare
words. The store is kept between runs with ``--keep`` (seeding a million takes minutes) and
reused when the next run asks for the same size.
"""

from __future__ import annotations

import random
import statistics
import time
from dataclasses import dataclass, field

from django.db import connection

STORE_URL_PREFIX = "https://bench.invalid/store/"
SEED_BATCH = 50_000
TITLE_WORDS, SUMMARY_WORDS, TEXT_WORDS = 9, 28, 120

#: The commonest words of the synthetic news, most frequent first: they head the Zipf ranks.
_COMMON: tuple[str, ...] = tuple(dict.fromkeys((
    "government minister said president officials country year people police report news "
    "week state party court army election foreign military security economy talks deal "
    "china russia united states europe ukraine trade power water energy prices company "
    "workers union health hospital school children women city capital border attack aid "
    "weapons sanctions oil gas bank market budget tax vote parliament leader opposition "
    "protest strike investigation statement spokesperson agency ministry defence embassy "
    "request denied confirmed claims reports sources according told warned called "
    "announced agreed rejected signed plan law bill rules data study scientists climate "
    "flood fire storm drought crops farmers food inflation jobs growth debt loans exports "
    "imports factory plant mine steel chips phones internet platform video images false "
    "misleading evidence record interview speech summit meeting visit delegation treaty"
).split()))


SYLLABLES = ("ka", "lo", "mi", "ra", "ven", "tor", "sa", "del", "qui", "bar", "nes", "ul",
             "pri", "ost", "gan", "fe", "zu", "rin", "mar", "tek", "dro", "vil", "sen", "ho")


def word_of_rank(rank: int) -> str:
    """The word of Zipf rank ``rank`` (1 = commonest): a common news word, or past them a
    made-up word spelled by the rank's digits in base 24, one syllable per digit (the SQL
    below spells the same words)."""
    if rank <= len(_COMMON):
        return _COMMON[rank - 1]
    syllables = []
    while rank:
        rank, digit = divmod(rank, len(SYLLABLES))
        syllables.append(SYLLABLES[digit])
    return "".join(syllables)


def _word_sql(draw: str) -> str:
    """SQL spelling ``word_of_rank`` of the integer expression ``draw`` (up to four syllables)."""
    n = len(SYLLABLES)
    digits = " || ".join(
        f"CASE WHEN r >= {n ** k} THEN s[1 + (r / {n ** k}) %% {n}] ELSE '' END" for k in range(1, 4)
    )
    return (f"(SELECT CASE WHEN r <= {len(_COMMON)} THEN c[r] ELSE s[1 + r %% {n}] || {digits} END "
            f"FROM (SELECT {draw} AS r) AS d)")


# One statement per batch: every word of every field drawn by rank = floor(V ** random()), a
# discrete Zipf's law (``0 * i`` ties each draw to its word, so that it is drawn per word);
# the full-text vector built as the store builds it (title A, summary B, text C, English).
_DRAW = _word_sql("floor(power(%(size)s, random()))::int + 0 * i")
_SEED_SQL = f"""
INSERT INTO sources_document (canonical_url, title, summary, text, author, language, fingerprint,
                              published_at, created_at, search_vector)
SELECT url, title, summary, body, '', 'en', '', published, now(),
       setweight(to_tsvector('english', title), 'A')
       || setweight(to_tsvector('english', summary), 'B')
       || setweight(to_tsvector('english', body), 'C')
FROM (
    SELECT %(prefix)s || g AS url,
           (SELECT string_agg({_DRAW}, ' ') FROM generate_series(1, {TITLE_WORDS}) AS i WHERE g > 0) AS title,
           (SELECT string_agg({_DRAW}, ' ') FROM generate_series(1, {SUMMARY_WORDS}) AS i WHERE g > 0) AS summary,
           (SELECT string_agg({_DRAW}, ' ') FROM generate_series(1, {TEXT_WORDS}) AS i WHERE g > 0) AS body,
           now() - random() * interval '1095 days' AS published
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g,
         (SELECT %(common)s::text[] AS c, %(syllables)s::text[] AS s) AS v
) AS seeded
ON CONFLICT (canonical_url) DO NOTHING
"""


@dataclass
class SearchTiming:
    name: str
    latencies: list[float] = field(default_factory=list)
    results: list[int] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


class SearchBench:
    def __init__(self, *, documents: int, vocabulary_size: int = 40_000, seed: int = 5):
        self.documents = documents
        self.size = vocabulary_size
        self.words = [word_of_rank(rank) for rank in range(1, vocabulary_size)]
        self.rng = random.Random(seed)

    def stored(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sources_document WHERE canonical_url LIKE %s",
                           [STORE_URL_PREFIX + "%"])
            return cursor.fetchone()[0]

    def seed(self, progress=None) -> float:
        """Store documents 1..N under the prefix (those already there are kept); seconds taken."""
        started = time.perf_counter()
        for first in range(1, self.documents + 1, SEED_BATCH):
            last = min(first + SEED_BATCH - 1, self.documents)
            with connection.cursor() as cursor:
                cursor.execute(_SEED_SQL, {"prefix": STORE_URL_PREFIX, "common": list(_COMMON),
                                           "syllables": list(SYLLABLES), "size": self.size,
                                           "first": first, "last": last})
            if progress:
                progress(last)
        with connection.cursor() as cursor:
            # As autovacuum would on a live table: flush the GIN pending list, refresh statistics.
            cursor.execute("VACUUM ANALYZE sources_document")
        return time.perf_counter() - started

    def remove(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sources_document WHERE canonical_url LIKE %s",
                           [STORE_URL_PREFIX + "%"])
            return cursor.rowcount

    def queries(self, count: int) -> list[str]:
        """Editor-like searches: one to three words, common (top 100), middling or rare."""
        out = []
        for _ in range(count):
            words = []
            for _ in range(self.rng.choice([1, 2, 2, 3])):
                band = self.rng.random()
                if band < 0.4:
                    words.append(self.rng.choice(self.words[:100]))
                elif band < 0.8:
                    words.append(self.rng.choice(self.words[100:3000]))
                else:
                    words.append(self.rng.choice(self.words[3000:]))
            out.append(" ".join(words))
        return out

    def claim_texts(self, count: int) -> list[str]:
        """Claim-like sentences for the candidate search: eight words across the ranks."""
        return [
            " ".join(self.rng.choice(self.words[:100] if i < 3 else self.words[100:5000])
                     for i in range(8))
            for _ in range(count)
        ]

    def time_searches(self, *, count: int) -> list[SearchTiming]:
        """Each search kind over the same ``count`` queries, interleaved so that a noisy
        moment of a shared machine falls on every kind alike."""
        from claims.corroboration.matching import claim_candidate_documents
        from claims.models import Claim
        from sources.search import documents_search, documents_search_count

        newest, older, ranked, counted, candidates = (
            SearchTiming("newest first, page 1"), SearchTiming("newest first, page 2 (keyset)"),
            SearchTiming("most relevant"), SearchTiming("count of matches (loaded after the page)"),
            SearchTiming("a claim's candidates (gather coverage)"),
        )
        documents_search(query=self.words[0])  # load the language detector: not a search's cost
        for query, claim_text in zip(self.queries(count), self.claim_texts(count), strict=True):
            t0 = time.perf_counter()
            page = documents_search(query=query)
            newest.latencies.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            matches = documents_search_count(query=query)
            counted.latencies.append(time.perf_counter() - t0)
            newest.results.append(matches.count if matches.exact else matches.count + 1)
            if page.next_cursor:
                t0 = time.perf_counter()
                documents_search(query=query, cursor=page.next_cursor)
                older.latencies.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            documents_search(query=query, order="relevance")
            ranked.latencies.append(time.perf_counter() - t0)
            # An unsaved claim: the candidate query reads only its text, language and id.
            claim = Claim(pk=0, text=claim_text, language="en")
            t0 = time.perf_counter()
            found = claim_candidate_documents(claim=claim)
            candidates.latencies.append(time.perf_counter() - t0)
            candidates.results.append(len(found))
        return [newest, older, ranked, counted, candidates]


def describe(timing: SearchTiming) -> str:
    median = statistics.median(timing.latencies) * 1000 if timing.latencies else 0.0
    return (f"{timing.name}: p50 {median:.1f} ms, p95 {timing.percentile(0.95) * 1000:.1f} ms, "
            f"p99 {timing.percentile(0.99) * 1000:.1f} ms over {len(timing.latencies)} searches")

"""Searching the article store: an editor's full-text search of stored coverage.

The store holds every language, each document indexed in its own language's text-search
configuration (``documents_index``). A query is read in several configurations at once and
the readings are OR-ed: ``simple`` (word for word: languages without a stemmer, names),
English, the language the query is written in when the detector can tell, and the language
filter's. Words within one reading are AND-ed (``websearch_to_tsquery``: quotes for phrases,
``-word`` to exclude, ``or``).

Two orders, both bounded however many of a million documents match:

* newest first (the default): keyset pages in ``document_newest`` order (the day a document
  was published, or stored when the feed gave no date), so that page 100 costs what page 1
  does; the newest matches are looked for in windows of days, widened until a page is full
  (``_newest``), so neither a word in a third of the store nor a rare one costs a long scan;
* by relevance: the newest ``RANKED_MATCHES`` matches ranked by cover density. Ranking every
  match of a common word would read hundreds of thousands of vectors; a desk searching news
  wants the relevant among the recent, and the page says how far back the ranking reached.

Counts stop at ``COUNT_CAP`` ("more than 1,000"), like the claim queue's, and are a separate
call (``documents_search_count``) that the page loads after its results.

The column's statistics target is raised (migration 0012) so that the planner knows the
frequencies of the ten thousand commonest words, not a thousand: its choice between walking
the newest-first index and reading the full-text index rests on them.
"""

from __future__ import annotations

import base64
import binascii
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sources.language import FALLBACK_TS_CONFIG, TS_CONFIGS, detect_language, ts_config
from workbench.http import MARK_START, MARK_STOP

PER_PAGE = 25
RANKED_MATCHES = 500
#: The newest matches are looked for in the last week first (``_newest``), then in a window
#: sized from what the week held, then everywhere once a window would pass a year.
FIRST_WINDOW_DAYS = 7
MAX_WINDOW_DAYS = 365
COUNT_CAP = 1000
MAX_QUERY_CHARS = 300
HEADLINE_CHARS = 1200  # of the summary and lead a snippet is cut from
ORDERS = ("newest", "relevance")



class SearchInputError(ValueError):
    """A query or cursor the search cannot use; the message is for the user."""


@dataclass(frozen=True)
class DocumentHit:
    id: int
    title: str
    url: str
    outlet: str
    language: str
    sort_date: datetime
    dated: bool  # False when the feed gave no date and ``sort_date`` is when we stored it
    snippet: str  # summary and lead with MARK_START/MARK_STOP around matched words


@dataclass(frozen=True)
class DocumentSearchPage:
    query: str
    order: str
    hits: list[DocumentHit]
    next_cursor: str  # "" on the last page
    offset: int  # relevance order pages by offset within the ranked matches
    ranked_reach: datetime | None  # relevance order: the oldest match it ranked, when capped


@dataclass(frozen=True)
class MatchCount:
    count: int  # at most COUNT_CAP
    exact: bool  # False: more than COUNT_CAP match


def search_configs(query: str, *, language: str = "") -> list[str]:
    """The configurations a query is read in: simple, English, its own and the filter's."""
    configs = [FALLBACK_TS_CONFIG, "english"]
    for code in (detect_language(query), language):
        name = ts_config(code) if code else ""
        if name and name not in configs:
            configs.append(name)
    return configs


def _encode_cursor(sort_date: datetime, pk: int) -> str:
    raw = f"{sort_date.isoformat()}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = raw.split("|")
        when = parse_datetime(moment)
        if when is None or when.tzinfo is None:
            raise ValueError(moment)
        return when, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise SearchInputError("That page link is out of date or damaged: search again.") from exc


# The query as one tsquery: each configuration's reading OR-ed. ``numnode`` > 0 drops readings
# that are empty (a stop word in English is still a word in ``simple``), DISTINCT the same
# reading twice (most words read alike word for word and in English).
_QUERY_SQL = """
SELECT (SELECT tsquery_agg FROM (
          SELECT string_agg(DISTINCT q::text, ' | ') AS tsquery_agg
          FROM unnest(%(configs)s::regconfig[]) AS cfg,
               LATERAL websearch_to_tsquery(cfg, %(query)s) AS q
          WHERE numnode(q) > 0) AS readings)
"""

_SORT_DATE = "COALESCE(d.published_at, d.created_at)"
_MATCHES = """d.search_vector @@ %(tsquery)s::tsquery
  AND (%(language)s = '' OR d.language = %(language)s OR d.language LIKE %(language)s || '-%%')"""

# The newest matches: within a window of days below ``upper`` (the page's keyset bound), or
# everywhere when ``lower`` is NULL. Run with index walks switched off (``_bitmaps_only``).
_NEWEST_SQL = f"""
SELECT d.id, {_SORT_DATE} AS sort_date
FROM sources_document d
WHERE {_MATCHES}
  AND (%(after_date)s::timestamptz IS NULL OR ({_SORT_DATE}, d.id) < (%(after_date)s, %(after_id)s))
  AND (%(lower)s::timestamptz IS NULL OR {_SORT_DATE} >= %(lower)s)
ORDER BY {_SORT_DATE} DESC, d.id DESC
LIMIT %(limit)s
"""

_RANK_SQL = f"""
SELECT d.id, ts_rank_cd(d.search_vector, %(tsquery)s::tsquery) AS rank, {_SORT_DATE} AS sort_date
FROM sources_document d
WHERE d.id = ANY(%(ids)s)
ORDER BY rank DESC, sort_date DESC, d.id DESC
OFFSET %(offset)s LIMIT %(limit)s
"""

_COUNT_SQL = f"""
SELECT count(*) FROM (SELECT 1 FROM sources_document d WHERE {_MATCHES} LIMIT %(cap)s) AS capped
"""

# Each document's own configuration, as ``documents_index`` chose it.
_DOCUMENT_CONFIG = (
    "(CASE split_part(d.language, '-', 1) "
    + " ".join(f"WHEN '{code}' THEN '{name}'" for code, name in sorted(TS_CONFIGS.items()))
    + f" ELSE '{FALLBACK_TS_CONFIG}' END)::regconfig"
)

_HITS_SQL = f"""
SELECT d.id, d.title, d.canonical_url, COALESCE(o.name, ''), d.language,
       {_SORT_DATE}, d.published_at IS NOT NULL,
       ts_headline(
           {_DOCUMENT_CONFIG},
           left(d.summary || ' ' || left(d.text, %(chars)s), %(chars)s), %(tsquery)s::tsquery,
           %(options)s)
FROM sources_document d
LEFT JOIN sources_outlet o ON o.id = d.outlet_id
WHERE d.id = ANY(%(ids)s)
"""


def _tsquery(query: str, configs: list[str]) -> str:
    with connection.cursor() as cursor:
        cursor.execute(_QUERY_SQL, {"configs": configs, "query": query})
        return cursor.fetchone()[0] or ""


def _clean(query: str) -> str:
    # Control characters (NUL above all, which PostgreSQL refuses in text) are never words.
    query = " ".join("".join(ch if ch.isprintable() else " " for ch in (query or "")).split())
    if not query:
        raise SearchInputError("Type what to search for.")
    if len(query) > MAX_QUERY_CHARS:
        raise SearchInputError(f"Search for at most {MAX_QUERY_CHARS} characters.")
    return query


def documents_search(*, query: str, order: str = "newest", language: str = "", cursor: str = "",
                     offset: int = 0, per_page: int = PER_PAGE) -> DocumentSearchPage:
    """One page of stored documents matching ``query`` (see the module's docstring)."""
    query = _clean(query)
    if order not in ORDERS:
        raise SearchInputError("Choose newest first or most relevant.")
    after = _decode_cursor(cursor) if cursor and order == "newest" else None
    language = (language or "").strip().lower()
    tsquery = _tsquery(query, search_configs(query, language=language))
    if not tsquery:
        return DocumentSearchPage(query, order, [], "", 0, None)
    params = {"tsquery": tsquery, "language": language}
    reach = None
    with connection.cursor() as db:
        if order == "newest":
            rows = _newest(db, params, want=per_page + 1, after=after)
            more = len(rows) > per_page
            rows = rows[:per_page]
            next_cursor = _encode_cursor(rows[-1][1], rows[-1][0]) if more else ""
        else:
            offset = max(0, min(int(offset), RANKED_MATCHES))
            recent = _newest(db, params, want=RANKED_MATCHES, after=None)
            if len(recent) >= RANKED_MATCHES:
                reach = recent[-1][1]
            db.execute(_RANK_SQL, {**params, "ids": [pk for pk, _ in recent], "offset": offset,
                                   "limit": per_page + 1})
            rows = db.fetchall()
            more = len(rows) > per_page
            rows = rows[:per_page]
            next_cursor = str(offset + per_page) if more else ""
        ids = [row[0] for row in rows]
        hits = _hits(db, ids, tsquery) if ids else {}
    return DocumentSearchPage(
        query=query, order=order, hits=[hits[pk] for pk in ids if pk in hits],
        next_cursor=next_cursor, offset=offset if order == "relevance" else 0, ranked_reach=reach,
    )


def documents_search_count(*, query: str, language: str = "") -> MatchCount:
    """How many stored documents match, counted to ``COUNT_CAP``. Apart from the page (the
    page loads it after the results): for a word in a third of a million documents, reading
    its whole entry in the index is most of a search's cost."""
    query = _clean(query)
    language = (language or "").strip().lower()
    tsquery = _tsquery(query, search_configs(query, language=language))
    if not tsquery:
        return MatchCount(0, True)
    with connection.cursor() as db, _bitmaps_only(db):
        db.execute(_COUNT_SQL, {"tsquery": tsquery, "language": language, "cap": COUNT_CAP + 1})
        count = db.fetchone()[0]
    return MatchCount(min(count, COUNT_CAP), count <= COUNT_CAP)


@contextmanager
def _bitmaps_only(db):
    """Let the planner read the full-text index only as a bitmap, never by walking another
    index (or the table) and testing each row. A row's test reads its whole vector; for a word
    the planner's statistics do not know well, or whose matches all lie years back, such a walk
    tests hundreds of thousands of rows. Scoped to this block's transaction, reset after it."""
    with transaction.atomic():
        db.execute("SET LOCAL enable_indexscan = off")
        db.execute("SET LOCAL enable_seqscan = off")
        yield
        db.execute("RESET enable_indexscan")
        db.execute("RESET enable_seqscan")


def _newest(db, params: dict, *, want: int, after: tuple[datetime, int] | None) -> list:
    """The ``want`` newest matches below the keyset bound ``after``: (id, sort date) rows.

    Looked for in the last week below the bound first: a common word's page comes from there,
    the planner walking the newest-first index (a walk the window bounds). Too few there, and
    the next window is sized from how many the week held (half as much again as the rate
    predicts); none, or a window past a year, and the rest is read from the full-text index as
    a bitmap: what reaches that pass is rare, so the bitmap is small."""
    after_date, after_id = after if after else (None, 0)
    upper = after_date or timezone.now()
    days: float | None = FIRST_WINDOW_DAYS
    while True:
        query_params = {**params, "after_date": after_date, "after_id": after_id, "limit": want,
                        "lower": upper - timedelta(days=days) if days else None}
        if days:
            db.execute(_NEWEST_SQL, query_params)
            rows = db.fetchall()
        else:
            with _bitmaps_only(db):
                db.execute(_NEWEST_SQL, query_params)
                rows = db.fetchall()
        if len(rows) >= want or days is None:
            return rows
        days = days * want / len(rows) * 1.5 if rows else None
        if days and days > MAX_WINDOW_DAYS:
            days = None


def _hits(db, ids: list[int], tsquery: str) -> dict[int, DocumentHit]:
    options = (f"StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=40, MinWords=15, "
               "MaxFragments=2, FragmentDelimiter=\" … \"")
    db.execute(_HITS_SQL, {"ids": ids, "tsquery": tsquery, "chars": HEADLINE_CHARS,
                           "options": options})
    return {
        row[0]: DocumentHit(id=row[0], title=row[1], url=row[2], outlet=row[3], language=row[4],
                            sort_date=row[5], dated=row[6], snippet=row[7] or "")
        for row in db.fetchall()
    }


# How common each word is in the store, by the planner's own sample (pg_stats keeps the
# frequency of the 10,000 commonest lexemes of the full-text column, migration 0012). A word
# outside them is rarer than all of them: 0 here.
_WORD_FREQUENCIES_SQL = """
WITH common AS (
    SELECT element, frequency
    FROM pg_stats AS s,
         unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS x(element, frequency)
    WHERE s.schemaname = current_schema() AND s.tablename = 'sources_document'
      AND s.attname = 'search_vector' AND element IS NOT NULL
)
SELECT w.word, COALESCE(max(common.frequency), 0)
FROM unnest(%(words)s::text[]) AS w(word)
LEFT JOIN LATERAL unnest(to_tsvector(%(config)s::regconfig, w.word)) AS v ON true
LEFT JOIN common ON common.element = v.lexeme
GROUP BY w.word
"""


def document_word_frequencies(words: list[str], *, config: str) -> dict[str, float]:
    """The share of stored documents that contain each word (read in ``config``), as far as
    the planner's statistics know; 0 for words rarer than the ten thousand commonest."""
    if not words:
        return {}
    with connection.cursor() as db:
        db.execute(_WORD_FREQUENCIES_SQL, {"words": words, "config": config})
        return {word: float(frequency) for word, frequency in db.fetchall()}

"""Searching the article store: an editor's full-text search of stored coverage.

The store holds every language, each document indexed in its own language's text-search
configuration (``documents_index``). A query is read in several configurations at once and
the readings are OR-ed: ``simple`` (word for word: languages without a stemmer, names),
English, the language the query is written in when the detector can tell, and the language
filter's. Words within one reading are AND-ed (``websearch_to_tsquery``: quotes for phrases,
``-word`` to exclude, ``or``).

Two orders, both bounded however many of a million documents match:

* newest first (the default): a keyset walk down ``document_newest`` (the day a document was
  published, or stored when the feed gave no date), so that page 100 costs what page 1 does;
* by relevance: the newest ``RANKED_MATCHES`` matches ranked by cover density. Ranking every
  match of a common word would read hundreds of thousands of vectors; a desk searching news
  wants the relevant among the recent, and the page says how far back the ranking reached.

Counts stop at ``COUNT_CAP`` ("more than 1,000"), like the claim queue's.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils.dateparse import parse_datetime

from sources.language import FALLBACK_TS_CONFIG, TS_CONFIGS, detect_language, ts_config
from workbench.http import MARK_START, MARK_STOP

PER_PAGE = 25
RANKED_MATCHES = 1000
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
    count: int
    count_exact: bool
    next_cursor: str  # "" on the last page
    offset: int  # relevance order pages by offset within the ranked matches
    ranked_reach: datetime | None  # relevance order: the oldest match it ranked, when capped


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
# that are empty (a stop word in English is still a word in ``simple``).
_QUERY_SQL = """
SELECT (SELECT tsquery_agg FROM (
          SELECT string_agg(q::text, ' | ') AS tsquery_agg
          FROM unnest(%(configs)s::regconfig[]) AS cfg,
               LATERAL websearch_to_tsquery(cfg, %(query)s) AS q
          WHERE numnode(q) > 0) AS readings)
"""

_SORT_DATE = "COALESCE(d.published_at, d.created_at)"

_NEWEST_SQL = f"""
SELECT d.id, {_SORT_DATE} AS sort_date
FROM sources_document d
WHERE d.search_vector @@ %(tsquery)s::tsquery
  AND (%(language)s = '' OR d.language = %(language)s OR d.language LIKE %(language)s || '-%%')
  AND (%(after_date)s::timestamptz IS NULL OR ({_SORT_DATE}, d.id) < (%(after_date)s, %(after_id)s))
ORDER BY {_SORT_DATE} DESC, d.id DESC
LIMIT %(limit)s
"""

_RANKED_SQL = f"""
WITH recent AS (
    SELECT d.id, d.search_vector, {_SORT_DATE} AS sort_date
    FROM sources_document d
    WHERE d.search_vector @@ %(tsquery)s::tsquery
      AND (%(language)s = '' OR d.language = %(language)s OR d.language LIKE %(language)s || '-%%')
    ORDER BY {_SORT_DATE} DESC, d.id DESC
    LIMIT %(ranked)s
)
SELECT id, sort_date, ts_rank_cd(search_vector, %(tsquery)s::tsquery) AS rank,
       min(sort_date) OVER () AS reach, count(*) OVER () AS n
FROM recent
ORDER BY rank DESC, sort_date DESC, id DESC
OFFSET %(offset)s LIMIT %(limit)s
"""

_COUNT_SQL = """
SELECT count(*) FROM (
    SELECT 1 FROM sources_document d
    WHERE d.search_vector @@ %(tsquery)s::tsquery
      AND (%(language)s = '' OR d.language = %(language)s OR d.language LIKE %(language)s || '-%%')
    LIMIT %(cap)s
) AS capped
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


def documents_search(*, query: str, order: str = "newest", language: str = "", cursor: str = "",
                     offset: int = 0, per_page: int = PER_PAGE) -> DocumentSearchPage:
    """One page of stored documents matching ``query`` (see the module's docstring)."""
    # Control characters (NUL above all, which PostgreSQL refuses in text) are never words.
    query = " ".join("".join(ch if ch.isprintable() else " " for ch in (query or "")).split())
    if not query:
        raise SearchInputError("Type what to search for.")
    if len(query) > MAX_QUERY_CHARS:
        raise SearchInputError(f"Search for at most {MAX_QUERY_CHARS} characters.")
    if order not in ORDERS:
        raise SearchInputError("Choose newest first or most relevant.")
    language = (language or "").strip().lower()
    tsquery = _tsquery(query, search_configs(query, language=language))
    empty = DocumentSearchPage(query, order, [], 0, True, "", 0, None)
    if not tsquery:
        return empty
    params = {"tsquery": tsquery, "language": language, "limit": per_page + 1}
    reach = None
    with connection.cursor() as db:
        if order == "newest":
            after_date, after_id = _decode_cursor(cursor) if cursor else (None, 0)
            db.execute(_NEWEST_SQL, {**params, "after_date": after_date, "after_id": after_id})
            rows = db.fetchall()
            more = len(rows) > per_page
            rows = rows[:per_page]
            next_cursor = _encode_cursor(rows[-1][1], rows[-1][0]) if more else ""
        else:
            offset = max(0, min(int(offset), RANKED_MATCHES))
            db.execute(_RANKED_SQL, {**params, "ranked": RANKED_MATCHES, "offset": offset})
            rows = db.fetchall()
            more = len(rows) > per_page
            rows = rows[:per_page]
            next_cursor = str(offset + per_page) if more else ""
            if rows and rows[0][4] >= RANKED_MATCHES:
                reach = rows[0][3]
        db.execute(_COUNT_SQL, {**params, "cap": COUNT_CAP + 1})
        count = db.fetchone()[0]
        ids = [row[0] for row in rows]
        hits = _hits(db, ids, tsquery) if ids else {}
    return DocumentSearchPage(
        query=query, order=order, hits=[hits[pk] for pk in ids if pk in hits],
        count=min(count, COUNT_CAP), count_exact=count <= COUNT_CAP, next_cursor=next_cursor,
        offset=offset if order == "relevance" else 0, ranked_reach=reach,
    )


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

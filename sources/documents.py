"""The article store: feed items become Documents, deduplicated, fingerprinted and indexed.

``documents_upsert`` is safe under concurrency: one ``INSERT ... ON CONFLICT`` keyed on the
canonical URL, so two polls racing over the same items (or a re-delivered task) never
create duplicates, and ``RETURNING (xmax = 0)`` tells exactly which rows are new.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Case, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import strip_tags

from sources.connectors.base import FeedItem
from sources.language import TS_CONFIGS, detect_language, ts_config
from sources.models import Document, Feed
from sources.outlets import outlets_for_domains
from sources.validators import is_web_url

__all__ = [
    "FINGERPRINT_WORDS",
    "UpsertResult",
    "document_fingerprint",
    "documents_index",
    "documents_mark_matched",
    "documents_upsert",
    "documents_with_group_size",
    "plain_text",
]

# Enough words to tell two wire stories apart, few enough that outlets' edits at the end of
# a lede (a trailing "Read more", a local sentence) don't split one story into two groups.
FINGERPRINT_WORDS = 40
MAX_URL_CHARS = 2000
_NOT_WORD = re.compile(r"[^\w\s]+", re.UNICODE)
_SPACE = re.compile(r"\s+")
# Datelines and wire credits that syndicating outlets add or drop: "(Reuters) -", "WASHINGTON (AP) —"
_DATELINE = re.compile(r"^\s*(?:[A-Z][A-Z .,'-]{1,40})?\s*\((?:[A-Za-z .]{2,30})\)\s*[-—–:]\s*")
_BATCH = 500


def plain_text(value: str | None, limit: int | None = None) -> str:
    """Summaries are stored as plain text: tags stripped, entities decoded, spaces folded."""
    if not value:
        return ""
    text = _SPACE.sub(" ", html.unescape(strip_tags(value))).strip()
    return text[:limit] if limit else text


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = _NOT_WORD.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def document_fingerprint(title: str, body: str) -> str:
    """Same wire story, any outlet -> same fingerprint.

    SHA-256 of the folded title plus the first ``FINGERPRINT_WORDS`` folded words of the
    summary (or text). Folding lowercases, drops punctuation and datelines like
    "(Reuters) -", and collapses whitespace, so outlets' cosmetic edits don't matter.
    """
    title_part = _fold(title or "")
    body_words = _fold(_DATELINE.sub("", body or "")).split()[:FINGERPRINT_WORDS]
    if not title_part and not body_words:
        return ""
    material = title_part + "\n" + " ".join(body_words)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass
class UpsertResult:
    new_ids: list[int] = field(default_factory=list)
    updated_ids: list[int] = field(default_factory=list)
    seen: int = 0  # distinct usable items in the batch
    problems: list[str] = field(default_factory=list)


_UPSERT_COLUMNS = (
    "canonical_url", "title", "summary", "text", "author", "published_at", "language",
    "outlet_id", "feed_id", "fingerprint", "created_at", "match_state",
)


def _row_for(item: FeedItem, canonical_url: str, outlet_id, feed_id, now, match_state) -> tuple:
    title = plain_text(item.title, 1000)
    summary = plain_text(item.summary)
    # RSS content:encoded is the article body when the feed carries it.
    text = plain_text((item.extra or {}).get("content") or "")
    # What the item's words say beats what the feed declares for all its items; the feed's
    # code is kept when it agrees ("en-gb" for English).
    declared = (item.language or "").strip().lower()
    detected = detect_language(f"{title}. {summary[:300] or text[:300]}")
    language = declared if declared.split("-")[0] == detected or not detected else detected
    return (
        canonical_url, title, summary, text, plain_text(item.author, 300), item.published_at,
        language[:16], outlet_id, feed_id,
        document_fingerprint(title, summary or text), now, match_state,
    )


def documents_upsert(*, items: Iterable[FeedItem], feed: Feed | None = None,
                     match_pending: bool = False) -> UpsertResult:
    """Store items as Documents keyed by canonical URL; returns which ids are new.

    With ``match_pending`` new documents are recorded as waiting for coverage matching
    (``match_state`` "pending"): the caller queues them with ``followup_enqueue`` in the
    same transaction, and the sweep queues them again if that message is lost.

    Existing documents keep their first feed and creation time; their title, summary and
    date are refreshed when the outlet changed them (then re-fingerprinted and re-indexed).
    Run inside the caller's transaction when there is one, so the index update commits
    with the rows.
    """
    result = UpsertResult()
    by_url: dict[str, FeedItem] = {}
    for item in items:
        try:
            canonical = item.normalised_url
        except Exception:  # noqa: BLE001 - one odd URL must not sink the batch
            result.problems.append(f"item {item.url[:80]!r} has an unusable URL, skipped")
            continue
        if not canonical:
            result.problems.append(f"item {item.title[:60]!r} has no link, skipped")
            continue
        if not is_web_url(canonical):
            result.problems.append(f"item {canonical[:80]!r} is not an http(s) link, skipped")
            continue
        if len(canonical) > MAX_URL_CHARS:
            result.problems.append(f"item {canonical[:80]}… has a URL over {MAX_URL_CHARS} "
                                   "characters, skipped")
            continue
        if canonical in by_url:
            result.problems.append(f"item {canonical} appears twice in the feed, counted once")
            continue
        by_url[canonical] = item
    result.seen = len(by_url)
    if not by_url:
        return result

    outlets = outlets_for_domains(
        {item.outlet_domain: item.outlet_name for item in by_url.values() if item.outlet_domain}
    )
    now = timezone.now()
    feed_id = feed.pk if feed is not None else None
    # Sorted, so concurrent upserts of overlapping batches lock rows in the same order.
    match_state = Document.MatchState.PENDING if match_pending else Document.MatchState.DONE
    rows = [
        _row_for(item, url, getattr(outlets.get(item.outlet_domain), "pk", None), feed_id, now,
                 match_state)
        for url, item in sorted(by_url.items())
    ]
    table = Document._meta.db_table
    columns = ", ".join(_UPSERT_COLUMNS)
    placeholder = "(" + ", ".join(["%s"] * len(_UPSERT_COLUMNS)) + ")"
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            chunk = rows[start:start + _BATCH]
            sql = (
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([placeholder] * len(chunk))} "
                "ON CONFLICT (canonical_url) DO UPDATE SET "
                " title = EXCLUDED.title, summary = EXCLUDED.summary,"
                f" published_at = COALESCE(EXCLUDED.published_at, {table}.published_at),"
                f" fingerprint = EXCLUDED.fingerprint,"
                f" outlet_id = COALESCE({table}.outlet_id, EXCLUDED.outlet_id)"
                # Only touch rows whose content changed: unchanged re-polls write nothing.
                f" WHERE ({table}.title, {table}.summary) IS DISTINCT FROM"
                " (EXCLUDED.title, EXCLUDED.summary) "
                # xmax = 0 only for freshly inserted rows.
                "RETURNING id, (xmax = 0) AS inserted"
            )
            cursor.execute(sql, [value for row in chunk for value in row])
            for pk, inserted in cursor.fetchall():
                (result.new_ids if inserted else result.updated_ids).append(pk)
        documents_index(document_ids=result.new_ids + result.updated_ids)
    return result


def document_ts_config(field: str = "language"):
    """Each document's text-search configuration, from its language (``simple`` if none)."""
    return Case(
        *(When(Q(**{field: code}) | Q(**{f"{field}__startswith": f"{code}-"}), then=Value(name))
          for code, name in TS_CONFIGS.items()),
        default=Value(ts_config("")),
    )


def documents_index(*, document_ids: Iterable[int], only_missing: bool = False) -> int:
    """Refresh the full-text index of these documents in one UPDATE (title A, summary B, text C),
    each read in its own language's configuration. ``only_missing`` leaves documents that
    already have one alone (matching indexes what it reads, cheaply, when it was not done)."""
    ids = list(document_ids)
    if only_missing:
        # Usually every one is indexed already (the upsert indexes what it stores): one cheap
        # read of the ids still missing spares building and running the UPDATE for nothing.
        ids = list(Document.objects.filter(pk__in=ids, search_vector__isnull=True)
                   .values_list("pk", flat=True))
    if not ids:
        return 0
    documents = Document.objects.filter(pk__in=ids)
    config = document_ts_config()
    vector = (
        SearchVector("title", weight="A", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("text", weight="C", config=config)
    )
    return documents.update(search_vector=vector)


def documents_with_group_size(queryset):
    """Annotate ``group_size``: how many stored documents share each one's fingerprint."""
    same_story = (
        Document.objects.filter(fingerprint=OuterRef("fingerprint"))
        .exclude(fingerprint="")
        .order_by()
        .values("fingerprint")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(group_size=Coalesce(Subquery(same_story[:1]), 1))


def documents_mark_matched(*, document_ids: Iterable[int]) -> int:
    """Coverage matching is done for these documents (their follow-up work is finished)."""
    return Document.objects.filter(
        pk__in=list(document_ids), match_state=Document.MatchState.PENDING
    ).update(match_state=Document.MatchState.DONE, match_error="")

"""GDELT DOC 2.0 API article search (mode=artlist, format=json)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from sources.connectors.base import (
    ConnectorResult,
    FeedError,
    FeedItem,
    config_value,
    load_json,
)
from sources.fetching import FetchError, _setting, fetch, normalise_url, registrable_domain

__all__ = ["DEFAULT_GDELT_API_URL", "GdeltConnector", "parse_artlist"]

DEFAULT_GDELT_API_URL = "https://api.gdeltproject.org/api/v2/doc/doc"
MAX_RECORDS = 250  # the API's own ceiling

# GDELT names languages in English; map the common ones to ISO 639-1.
LANGUAGES = {
    "english": "en", "spanish": "es", "french": "fr", "german": "de", "italian": "it",
    "portuguese": "pt", "russian": "ru", "ukrainian": "uk", "chinese": "zh", "japanese": "ja",
    "korean": "ko", "arabic": "ar", "turkish": "tr", "polish": "pl", "dutch": "nl",
    "swedish": "sv", "norwegian": "no", "danish": "da", "finnish": "fi", "greek": "el",
    "hebrew": "he", "hindi": "hi", "indonesian": "id", "persian": "fa", "romanian": "ro",
    "czech": "cs", "hungarian": "hu", "vietnamese": "vi", "thai": "th", "bengali": "bn",
    "urdu": "ur", "malay": "ms", "bulgarian": "bg", "croatian": "hr", "serbian": "sr",
    "slovak": "sk", "slovenian": "sl", "lithuanian": "lt", "latvian": "lv", "estonian": "et",
    "catalan": "ca", "tamil": "ta", "swahili": "sw", "afrikaans": "af", "tagalog": "tl",
}


def parse_seendate(value: str | None) -> datetime | None:
    """GDELT's "20220316T103000Z" -> aware UTC datetime."""
    if not value:
        return None
    try:
        return datetime.strptime(value.strip(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def parse_artlist(data: Any, *, what: str = "GDELT") -> ConnectorResult:
    out = ConnectorResult()
    if not isinstance(data, dict):
        raise FeedError(f"{what} returned an unexpected JSON shape ({type(data).__name__})",
                        reason_code="api_error")
    articles = data.get("articles") or []  # no matches -> "{}"
    if not isinstance(articles, list):
        raise FeedError(f"{what} returned 'articles' that is not a list", reason_code="api_error")
    seen: dict[str, int] = {}
    for number, art in enumerate(articles, 1):
        if not isinstance(art, dict):
            out.problems.append(f"article {number} is not an object, skipped")
            continue
        title = str(art.get("title") or "").strip()
        label = f'article {number} ("{title[:60]}")' if title else f"article {number}"
        url = str(art.get("url") or "").strip()
        if not url or urlsplit(url).scheme.lower() not in ("http", "https"):
            out.problems.append(f"{label} has no usable URL, skipped")
            continue
        key = normalise_url(url)
        if key in seen:
            out.problems.append(f"{label} duplicates article {seen[key]}, skipped")
            continue
        seen[key] = number
        published = parse_seendate(art.get("seendate"))
        if published is None and art.get("seendate"):
            out.problems.append(f"{label} has an unreadable seendate {art.get('seendate')!r}")
        language_name = str(art.get("language") or "").strip()
        domain = str(art.get("domain") or "").strip().lower()
        out.items.append(FeedItem(
            url=url,
            title=title,
            published_at=published,
            language=LANGUAGES.get(language_name.lower(), ""),
            outlet_name=domain,
            outlet_domain=registrable_domain(domain or url),
            guid=url,
            image_url=str(art.get("socialimage") or ""),
            extra={k: art[k] for k in ("url_mobile", "sourcecountry", "language", "seendate")
                   if art.get(k)},
        ))
    return out


class GdeltConnector:
    """Query connector. ``fetch(config)`` runs ``config.query``; ``search(query)`` returns items.

    The public API asks for at most one request every 5 seconds; schedule accordingly.
    """

    kind = "gdelt"

    def __init__(self, api_url: str | None = None, max_records: int = 75, timespan: str | None = None):
        self.api_url = api_url or _setting("GDELT_API_URL", None) or DEFAULT_GDELT_API_URL
        self.max_records = max(1, min(int(max_records), MAX_RECORDS))
        self.timespan = timespan

    @property
    def enabled(self) -> bool:
        return True

    def build_url(self, query: str, max_records: int | None = None) -> str:
        params = {
            "query": query,
            "mode": "artlist",
            "format": "json",
            "maxrecords": str(max(1, min(int(max_records or self.max_records), MAX_RECORDS))),
            "sort": "datedesc",
        }
        if self.timespan:
            params["timespan"] = self.timespan
        sep = "&" if "?" in self.api_url else "?"
        return self.api_url + sep + urlencode(params)

    def run(self, query: str, max_records: int | None = None) -> ConnectorResult:
        query = (query or "").strip()
        if not query:
            raise FeedError("GDELT search needs a query", reason_code="config")
        url = self.build_url(query, max_records)
        try:
            result = fetch(url, accept_feeds=True)
        except FetchError as exc:
            raise FeedError.from_fetch_error(exc, f"GDELT search for {query!r} failed") from exc
        data = load_json(result.body, result.charset, f"GDELT (search {query!r})")
        out = parse_artlist(data, what="GDELT")
        out.final_url = result.final_url
        return out

    def search(self, query: str) -> list[FeedItem]:
        return self.run(query).items

    def fetch(self, feed_config: Any) -> ConnectorResult:
        query = config_value(feed_config, "query", "")
        max_records = config_value(feed_config, "max_items", None)
        return self.run(query, max_records)

"""RSS 0.9x/1.0/2.0 and Atom feeds, parsed by feedparser from bytes the safe fetcher got.

feedparser is never given a URL or a path (a ``str`` argument would make it fetch or open
one): only ``bytes``.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from sources.connectors.base import ConnectorResult, FeedError, FeedItem, config_value
from sources.fetching import FetchError, FetchResult, fetch, normalise_url, registrable_domain

__all__ = ["RSSConnector", "parse_feed"]

DEFAULT_MAX_ITEMS = 500
MAX_SUMMARY_CHARS = 2000
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html)", re.IGNORECASE | re.DOTALL)
_ALTERNATE = re.compile(
    r"""<link[^>]+type=["']application/(?:rss|atom)\+xml["'][^>]*>""", re.IGNORECASE
)
_HREF = re.compile(r"""href=["']([^"']+)["']""", re.IGNORECASE)


def _plain(text: str | None, limit: int = MAX_SUMMARY_CHARS) -> str:
    if not text:
        return ""
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", text, flags=re.IGNORECASE | re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(text)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:limit]


def _when(entry: Any, *keys: str) -> datetime | None:
    for key in keys:
        # dict.get: bypass FeedParserDict's deprecated updated->published key aliasing
        parsed = dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)
        if parsed:
            try:
                return datetime(*parsed[:6], tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def _entry_link(entry: Any) -> str:
    link = entry.get("link") or ""
    if not link:
        for candidate in entry.get("links") or []:
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate["href"]
                break
    if not link:
        guid = entry.get("id") or ""
        if entry.get("guidislink") or guid.startswith(("http://", "https://")):
            link = guid if guid.startswith(("http://", "https://")) else ""
    return link.strip()


def _image(entry: Any) -> str:
    for key in ("media_thumbnail", "media_content"):
        for media in entry.get(key) or []:
            url = media.get("url")
            if url and (key == "media_thumbnail" or media.get("medium", "image") == "image"):
                return url
    for enclosure in entry.get("enclosures") or []:
        if (enclosure.get("type") or "").startswith("image/") and enclosure.get("href"):
            return enclosure["href"]
    return ""


def _looks_like_html(result: FetchResult) -> bool:
    if result.content_type in ("text/html", "application/xhtml+xml"):
        head = result.body[:2048].lstrip().lower()
        return not head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf"))
    return bool(_HTML_START.match(result.body[:2048]))


def _discovered_feeds(result: FetchResult) -> list[str]:
    text = result.body[:200_000].decode("utf-8", "replace")
    found = []
    for tag in _ALTERNATE.findall(text):
        href = _HREF.search(tag)
        if href:
            found.append(urljoin(result.final_url, html.unescape(href.group(1))))
    return found


def parse_feed(result: FetchResult, *, max_items: int = DEFAULT_MAX_ITEMS) -> ConnectorResult:
    """Parse fetched feed bytes. Raises ``FeedError`` for whole-feed failures."""
    import feedparser

    url = result.final_url
    out = ConnectorResult(etag=result.etag, last_modified=result.last_modified, final_url=url)
    if not result.body.strip():
        raise FeedError(f"{url} returned an empty body, not a feed")
    if _looks_like_html(result):
        hint = _discovered_feeds(result)
        message = f"{url} returned an HTML page, not a feed"
        if hint:
            message += f"; the page advertises a feed at {hint[0]}"
        raise FeedError(message, reason_code="not_a_feed")
    if result.content_type == "application/json":
        raise FeedError(f"{url} returned JSON, not an RSS/Atom feed", reason_code="not_a_feed")

    headers = {"content-type": result.headers.get("content-type", "application/xml"),
               "content-location": url}
    try:
        parsed = feedparser.parse(bytes(result.body), response_headers=headers,
                                  resolve_relative_uris=True, sanitize_html=True)
    except Exception as exc:  # feedparser is lenient, but be certain
        raise FeedError(f"{url} could not be parsed as a feed: {exc.__class__.__name__}: {exc}",
                        reason_code="malformed") from exc

    entries = list(parsed.get("entries") or [])
    feed_meta = parsed.get("feed") or {}
    bozo = parsed.get("bozo")
    exc = parsed.get("bozo_exception")
    if bozo and not entries:
        detail = f" ({exc.__class__.__name__}: {exc})" if exc else ""
        if not parsed.get("version") and not feed_meta.get("title"):
            raise FeedError(f"{url} is not a well-formed RSS/Atom feed{detail}", reason_code="malformed")
        raise FeedError(f"{url} is a malformed feed with no readable items{detail}", reason_code="malformed")
    if not parsed.get("version") and not entries:
        raise FeedError(f"{url} is not an RSS or Atom feed", reason_code="not_a_feed")
    if bozo and exc is not None:
        name = exc.__class__.__name__
        if name == "CharacterEncodingOverride":
            out.problems.append(f"feed declared a wrong character encoding; decoded as "
                                f"{parsed.get('encoding') or 'a fallback'}")
        elif name != "NonXMLContentType":
            out.problems.append(f"feed is not well-formed XML ({name}: {exc}); "
                                f"{len(entries)} item(s) read leniently")

    out.feed_title = _plain(feed_meta.get("title"), 500)
    feed_language = (feed_meta.get("language") or "").strip().lower()
    if len(entries) > max_items:
        out.problems.append(f"feed has {len(entries)} items; only the first {max_items} read")
        entries = entries[:max_items]

    seen_urls: dict[str, int] = {}
    seen_guids: dict[str, int] = {}
    for number, entry in enumerate(entries, 1):
        try:
            title = _plain(entry.get("title"), 1000)
            label = f'item {number} ("{title[:60]}")' if title else f"item {number}"
            link = _entry_link(entry)
            if not link:
                out.problems.append(f"{label} has no link, skipped")
                continue
            link = urljoin(url, link)
            if urlsplit(link).scheme.lower() not in ("http", "https"):
                out.problems.append(f"{label} links to a non-web URL ({link[:80]}), skipped")
                continue
            key = normalise_url(link)
            guid = (entry.get("id") or "").strip()
            if key in seen_urls:
                out.problems.append(f"{label} duplicates item {seen_urls[key]} ({key}), skipped")
                continue
            if guid and guid in seen_guids:
                out.problems.append(f"{label} repeats the guid of item {seen_guids[guid]}, skipped")
                continue
            seen_urls[key] = number
            if guid:
                seen_guids[guid] = number
            published = _when(entry, "published_parsed", "updated_parsed", "created_parsed")
            raw_date = dict.get(entry, "published") or dict.get(entry, "updated")
            if published is None and raw_date:
                out.problems.append(f"{label} has an unreadable date ({str(raw_date)[:40]!r})")
            content = ""
            for part in entry.get("content") or []:
                content = _plain(part.get("value"), 20_000)
                if content:
                    break
            language = ""
            for key_detail in ("summary_detail", "title_detail"):
                detail = entry.get(key_detail) or {}
                if detail.get("language"):
                    language = detail["language"].strip().lower()
                    break
            author = entry.get("author") or ""
            if not author and entry.get("authors"):
                author = ", ".join(a.get("name", "") for a in entry["authors"] if a.get("name"))
            summary = _plain(entry.get("summary")) or content[:MAX_SUMMARY_CHARS]
            source = entry.get("source") or {}
            # Aggregators (Google News and the like) link through their own domain and name
            # the real publisher in <source url="...">: credit the publisher, not the aggregator.
            source_href = (source.get("href") or "").strip()
            outlet_domain = registrable_domain(source_href) if source_href.startswith(
                ("http://", "https://")) else ""
            item = FeedItem(
                url=link,
                title=title,
                summary=summary,
                published_at=published,
                author=_plain(author, 300),
                language=language or feed_language,
                outlet_name=_plain(source.get("title"), 300) or out.feed_title,
                outlet_domain=outlet_domain or registrable_domain(link),
                guid=guid or link,
                image_url=_image(entry),
                extra={"content": content} if content else {},
            )
            tags = [t.get("term") for t in entry.get("tags") or [] if t.get("term")]
            if tags:
                item.extra["categories"] = tags
            out.items.append(item)
        except Exception as exc:  # one odd entry must not sink the feed
            out.problems.append(f"item {number} could not be read ({exc.__class__.__name__}), skipped")
    if entries and not out.items:
        out.problems.append("no usable items in feed")
    return out


class RSSConnector:
    """``fetch(config)`` where config has ``url`` and optionally ``etag``/``last_modified``/``max_items``."""

    kind = "rss"

    def fetch(self, feed_config: Any) -> ConnectorResult:
        url = config_value(feed_config, "url", "")
        if not url:
            raise FeedError("feed has no URL", reason_code="config")
        etag = config_value(feed_config, "etag") or None
        last_modified = config_value(feed_config, "last_modified") or None
        max_items = int(config_value(feed_config, "max_items", DEFAULT_MAX_ITEMS) or DEFAULT_MAX_ITEMS)
        try:
            result = fetch(url, accept_feeds=True, etag=etag, last_modified=last_modified)
        except FetchError as exc:
            raise FeedError.from_fetch_error(exc, f"Feed {url} could not be fetched") from exc
        if result.not_modified:
            return ConnectorResult(
                not_modified=True,
                etag=result.etag or etag,
                last_modified=result.last_modified or last_modified,
                final_url=result.final_url,
            )
        return parse_feed(result, max_items=max_items)

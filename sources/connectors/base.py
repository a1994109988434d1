"""The connector interface: feeds and search APIs produce ``FeedItem``s.

All network access goes through ``sources.fetching.fetch``. Whole-feed failures raise
``FeedError`` (``transient`` tells the task layer whether to retry); item-level problems
are recorded in ``ConnectorResult.problems`` and the item is skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from sources.fetching import FetchError, normalise_url

__all__ = [
    "Connector",
    "ConnectorDisabled",
    "ConnectorResult",
    "FeedConfig",
    "FeedError",
    "FeedItem",
    "QueryConnector",
    "config_value",
    "redact",
]


class FeedError(Exception):
    """The whole feed/query failed. ``transient`` mirrors the underlying fetch error."""

    def __init__(self, message: str, *, transient: bool = False, reason_code: str = "feed_error"):
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.reason_code = reason_code

    def __str__(self) -> str:
        return self.message

    @classmethod
    def from_fetch_error(cls, exc: FetchError, what: str, secret: str | None = None) -> FeedError:
        message = redact(f"{what}: {exc}", secret)
        return cls(message, transient=exc.transient, reason_code=exc.reason_code)


class ConnectorDisabled(FeedError):
    """The connector is switched off (e.g. no API key configured)."""

    def __init__(self, message: str):
        super().__init__(message, transient=False, reason_code="disabled")


@dataclass
class FeedItem:
    url: str  # absolute http(s) URL, as published (see ``normalised_url``)
    title: str = ""
    summary: str = ""  # plain text
    published_at: datetime | None = None  # aware
    author: str = ""
    language: str = ""  # ISO 639-1 where known ("en", "en-gb"), else ""
    outlet_name: str = ""
    outlet_domain: str = ""  # registrable domain, e.g. "bbc.co.uk"
    guid: str = ""
    image_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # connector-specific fields

    @property
    def normalised_url(self) -> str:
        return normalise_url(self.url)


@dataclass
class ConnectorResult:
    items: list[FeedItem] = field(default_factory=list)
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    final_url: str | None = None  # after redirects (feeds); store it if it moved permanently
    feed_title: str = ""
    problems: list[str] = field(default_factory=list)  # e.g. "item 3 has no link, skipped"


@dataclass
class FeedConfig:
    """Convenience config; any object with these attributes (or a mapping) also works."""

    url: str = ""
    etag: str | None = None
    last_modified: str | None = None
    query: str = ""
    max_items: int | None = None
    name: str = ""


def config_value(config: Any, name: str, default: Any = None) -> Any:
    """Read ``name`` from a mapping, a dataclass, or a model instance."""
    if config is None:
        return default
    if isinstance(config, str):
        return config if name == "url" else default
    if isinstance(config, Mapping):
        value = config.get(name, default)
    else:
        value = getattr(config, name, default)
    return default if value is None else value


def redact(text: str, secret: str | None) -> str:
    if secret:
        text = text.replace(secret, "[redacted]")
    return text


@runtime_checkable
class Connector(Protocol):
    kind: str

    def fetch(self, feed_config: Any) -> ConnectorResult: ...


@runtime_checkable
class QueryConnector(Connector, Protocol):
    @property
    def enabled(self) -> bool: ...

    def search(self, query: str) -> list[FeedItem]: ...


def load_json(body: bytes, charset: str | None, what: str) -> Any:
    """Decode a JSON API answer; a non-JSON answer (APIs often reply with text) -> FeedError."""
    import json

    from sources.fetching import decode_body

    text = decode_body(body, charset or "utf-8", "application/json").strip()
    if not text.startswith(("{", "[")):
        excerpt = " ".join(text.split())[:200] or "an empty body"
        raise FeedError(f"{what} answered with an error instead of JSON: {excerpt}",
                        reason_code="api_error")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise FeedError(f"{what} returned invalid JSON: {exc}", reason_code="api_error") from exc

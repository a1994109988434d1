"""The fetcher's limits and content types, and how it reads its settings."""

from __future__ import annotations

from typing import Any

DEFAULT_USER_AGENT = "FactDeskBot/0.1 (newsroom fact-checking workbench)"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

PAGE_CONTENT_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "application/pdf"}
)
FEED_CONTENT_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/x-rss+xml",
        "application/atom+xml",
        "application/x-atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/json",
        "application/feed+json",
    }
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TRANSIENT_HTTP_STATUSES = frozenset({408, 425, 429})
_CHUNK = 64 * 1024
ERROR_BODY_BYTES = 4096
ERROR_BODY_SECONDS = 2.0  # at most this long (within the deadline) for an error page's excerpt


def _setting(name: str, default: Any) -> Any:
    try:
        from django.conf import settings

        return getattr(settings, name, default)
    except Exception:  # settings not configured: pure-Python use
        return default

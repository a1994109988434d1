"""Connectors: RSS/Atom feeds, search APIs (GDELT, Google Fact Check Tools) and other
fact-checkers' ClaimReview feeds.

``get_connector(kind)`` returns a fresh connector; every connector has ``kind`` and
``fetch(feed_config) -> ConnectorResult``; query connectors also have ``enabled`` and
``search(query) -> list[FeedItem]``.
"""

from __future__ import annotations

from sources.connectors.base import (
    Connector,
    ConnectorDisabled,
    ConnectorResult,
    FeedConfig,
    FeedError,
    FeedItem,
    QueryConnector,
)
from sources.connectors.claimreview import ClaimReviewConnector
from sources.connectors.factcheck import FactCheckConnector
from sources.connectors.gdelt import GdeltConnector
from sources.connectors.rss import RSSConnector, parse_feed

CONNECTORS: dict[str, type] = {
    "rss": RSSConnector,
    "atom": RSSConnector,
    "gdelt": GdeltConnector,
    "factcheck": FactCheckConnector,
    "claimreview": ClaimReviewConnector,
}


def get_connector(kind: str, **options) -> Connector:
    try:
        cls = CONNECTORS[kind]
    except KeyError:
        raise ValueError(f"unknown connector kind {kind!r} (known: {', '.join(sorted(CONNECTORS))})") from None
    return cls(**options)


__all__ = [
    "CONNECTORS",
    "ClaimReviewConnector",
    "Connector",
    "ConnectorDisabled",
    "ConnectorResult",
    "FactCheckConnector",
    "FeedConfig",
    "FeedError",
    "FeedItem",
    "GdeltConnector",
    "QueryConnector",
    "RSSConnector",
    "get_connector",
    "parse_feed",
]

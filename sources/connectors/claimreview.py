"""Another fact-checker's ClaimReview feed (JSON) or fact-check page (JSON-LD), polled like a
news feed: each ClaimReview becomes an item whose ``extra`` carries the publisher's rating,
which feed polling keeps as a prior fact-check (``sources.factchecks``)."""

from __future__ import annotations

from typing import Any

from sources.connectors.base import ConnectorResult, FeedError, FeedItem, config_value
from sources.factchecks.parsing import claimreviews_parse
from sources.fetching import FetchError, fetch, registrable_domain

__all__ = ["ClaimReviewConnector", "IMPORT_CONTENT_TYPES"]

#: Pages and JSON: what a ClaimReview source serves.
IMPORT_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/json",
                                  "application/ld+json"})


class ClaimReviewConnector:
    kind = "claimreview"

    def fetch(self, feed_config: Any) -> ConnectorResult:
        url = config_value(feed_config, "url", "")
        try:
            result = fetch(url, allowed_content_types=IMPORT_CONTENT_TYPES,
                           etag=config_value(feed_config, "etag"),
                           last_modified=config_value(feed_config, "last_modified"))
        except FetchError as exc:
            raise FeedError.from_fetch_error(exc, f"ClaimReview feed {url}") from None
        out = ConnectorResult(etag=result.etag, last_modified=result.last_modified, final_url=result.final_url)
        if result.not_modified:
            out.not_modified = True
            return out
        parsed = claimreviews_parse(result.text, url=result.final_url, is_html=result.is_html)
        out.problems.extend(f"{which}: {why}" for which, why in parsed.refused)
        for review in parsed.reviews:
            out.items.append(FeedItem(
                url=review.url,
                title=review.claim_reviewed[:300],
                summary=review.claim_reviewed,
                published_at=review.reviewed_at,
                language=review.language,
                outlet_name=review.publisher,
                outlet_domain=registrable_domain(review.publisher_site or review.url) or "",
                guid=review.url,
                extra={
                    "claim_text": review.claim_reviewed, "claimant": review.claimant,
                    "claim_date": review.claim_date, "textual_rating": review.textual_rating,
                    "rating_value": review.rating_value, "best_rating": review.best_rating,
                    "worst_rating": review.worst_rating,
                },
            ))
        return out

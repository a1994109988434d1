"""Google Fact Check Tools API, ``claims:search``. Needs GOOGLE_FACTCHECK_API_KEY."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from sources.connectors.base import (
    ConnectorDisabled,
    ConnectorResult,
    FeedError,
    FeedItem,
    config_value,
    load_json,
    redact,
)
from sources.extraction import parse_datetime_loose
from sources.fetching import (
    FetchError,
    FetchHTTPError,
    _setting,
    fetch,
    normalise_url,
    registrable_domain,
)

__all__ = ["DEFAULT_FACTCHECK_API_URL", "DISABLED_MESSAGE", "FactCheckConnector", "parse_claims"]

DEFAULT_FACTCHECK_API_URL = "https://factchecktools.googleapis.com/v1alpha1/claims:search"
DISABLED_MESSAGE = "off: no API key (set GOOGLE_FACTCHECK_API_KEY)"


def parse_claims(data: Any, out: ConnectorResult, seen: dict[str, int]) -> str | None:
    """Append one FeedItem per claim review with a URL; return nextPageToken."""
    if not isinstance(data, dict):
        raise FeedError("Fact Check API returned an unexpected JSON shape", reason_code="api_error")
    claims = data.get("claims") or []
    if not isinstance(claims, list):
        raise FeedError("Fact Check API returned 'claims' that is not a list", reason_code="api_error")
    for c_number, claim in enumerate(claims, 1):
        if not isinstance(claim, dict):
            out.problems.append(f"claim {c_number} is not an object, skipped")
            continue
        claim_text = str(claim.get("text") or "").strip()
        reviews = claim.get("claimReview") or []
        if not reviews:
            out.problems.append(f"claim {c_number} has no reviews, skipped")
        for r_number, review in enumerate(reviews, 1):
            label = f"claim {c_number} review {r_number}"
            if not isinstance(review, dict):
                out.problems.append(f"{label} is not an object, skipped")
                continue
            url = str(review.get("url") or "").strip()
            if not url or urlsplit(url).scheme.lower() not in ("http", "https"):
                out.problems.append(f"{label} has no usable URL, skipped")
                continue
            key = normalise_url(url)
            if key in seen:
                # the same review can answer several claims: keep the first, note the rest
                out.problems.append(f"{label} repeats review {key}, skipped")
                continue
            seen[key] = len(out.items)
            publisher = review.get("publisher") or {}
            site = str(publisher.get("site") or "").strip()
            out.items.append(FeedItem(
                url=url,
                title=str(review.get("title") or "").strip(),
                summary=claim_text,
                published_at=parse_datetime_loose(review.get("reviewDate")),
                language=str(review.get("languageCode") or "").strip().lower(),
                outlet_name=str(publisher.get("name") or "").strip(),
                outlet_domain=registrable_domain(site or url),
                guid=url,
                extra={
                    "claim_text": claim_text,
                    "claimant": str(claim.get("claimant") or "").strip(),
                    "claim_date": parse_datetime_loose(claim.get("claimDate")),
                    "textual_rating": str(review.get("textualRating") or "").strip(),
                    "publisher_site": site,
                },
            ))
    token = data.get("nextPageToken")
    return str(token) if token else None


class FactCheckConnector:
    """Query connector for published fact checks. Disabled (``enabled`` False) without a key."""

    kind = "factcheck"

    def __init__(self, api_key: str | None = None, api_url: str | None = None,
                 language_code: str | None = "en", page_size: int = 50, max_pages: int = 1):
        self.api_key = api_key if api_key is not None else (_setting("GOOGLE_FACTCHECK_API_KEY", "") or "")
        self.api_url = api_url or _setting("FACTCHECK_API_URL", None) or DEFAULT_FACTCHECK_API_URL
        self.language_code = language_code
        self.page_size = max(1, min(int(page_size), 100))
        self.max_pages = max(1, int(max_pages))

    @property
    def enabled(self) -> bool:
        return bool(self.api_key)

    @property
    def status(self) -> str:
        return "on" if self.enabled else DISABLED_MESSAGE

    def build_url(self, query: str, page_token: str | None = None) -> str:
        params = {"query": query, "key": self.api_key, "pageSize": str(self.page_size)}
        if self.language_code:
            params["languageCode"] = self.language_code
        if page_token:
            params["pageToken"] = page_token
        sep = "&" if "?" in self.api_url else "?"
        return self.api_url + sep + urlencode(params)

    def run(self, query: str, max_pages: int | None = None) -> ConnectorResult:
        if not self.enabled:
            raise ConnectorDisabled(f"Fact Check Tools connector is {DISABLED_MESSAGE}")
        query = (query or "").strip()
        if not query:
            raise FeedError("Fact check search needs a query", reason_code="config")
        out = ConnectorResult()
        seen: dict[str, int] = {}
        token: str | None = None
        for page in range(max_pages or self.max_pages):
            try:
                result = fetch(self.build_url(query, token), accept_feeds=True)
            except FetchHTTPError as exc:
                detail = ""
                try:
                    import json

                    detail = json.loads(exc.body.decode("utf-8", "replace"))["error"]["message"]
                except (ValueError, KeyError, TypeError, AttributeError):
                    pass
                message = f"Fact Check API refused the search (HTTP {exc.status})"
                if detail:
                    message += f": {detail}"
                raise FeedError(redact(message, self.api_key), transient=exc.transient,
                                reason_code="api_error") from None
            except FetchError as exc:
                raise FeedError(
                    redact(f"Fact check search for {query!r} failed: {exc}", self.api_key),
                    transient=exc.transient, reason_code=exc.reason_code,
                ) from None
            data = load_json(result.body, result.charset, "Fact Check API")
            token = parse_claims(data, out, seen)
            if not token:
                break
            if page + 1 == (max_pages or self.max_pages):
                out.problems.append("more results available (stopped at the page limit)")
        return out

    def search(self, query: str) -> list[FeedItem]:
        return self.run(query).items

    def fetch(self, feed_config: Any) -> ConnectorResult:
        return self.run(config_value(feed_config, "query", ""))

"""ClaimReviews out of what a fact-checker publishes: a JSON feed (a list of ClaimReview, or a
page of them like our own ``/fact-checks/claimreview.json``) or a page's JSON-LD.

JSON-LD blocks are read one by one from the parsed HTML (lxml), so one malformed block is
reported and the others still count. Nothing here touches the database or the network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

from sources.extraction import parse_datetime_loose
from sources.validators import is_web_url

#: At most this many ClaimReviews from one page or feed page (a hostile page cannot make us
#: write without bound).
MAX_REVIEWS = 500
_TEXT_LIMITS = {"claim_reviewed": 5000, "publisher": 200, "claimant": 300, "textual_rating": 300}


@dataclass
class ParsedReview:
    url: str
    claim_reviewed: str
    publisher: str = ""
    publisher_site: str = ""
    claimant: str = ""
    claim_date: date | None = None
    reviewed_at: datetime | None = None
    textual_rating: str = ""
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    language: str = ""


@dataclass
class ParseResult:
    reviews: list[ParsedReview] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (which, why)
    next_url: str = ""  # a feed's next page


def _is_claimreview(node: dict) -> bool:
    kinds = node.get("@type") or node.get("type") or []
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(str(k).rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "ClaimReview" for k in kinds)


def _walk(node: Any, depth: int = 0) -> Iterator[dict]:
    """Every ClaimReview object in a JSON-LD tree (lists, @graph, nested items)."""
    if depth > 8:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
    elif isinstance(node, dict):
        if _is_claimreview(node):
            yield node
            return
        for key in ("@graph", "results", "items", "itemListElement", "item", "mainEntity", "claimReview"):
            if key in node:
                yield from _walk(node[key], depth + 1)


def _plain(value: Any, limit: int) -> str:
    """Text without markup, spaces collapsed, cut to ``limit``."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or ""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | dict)), "")
        return _plain(value, limit)
    text = str(value or "")
    if "<" in text:
        import lxml.html  # type: ignore[import-untyped]

        try:
            fragment = lxml.html.fromstring(f"<div>{text}</div>")
            for element in fragment.xpath(".//script|.//style"):
                element.drop_tree()  # their content is code, not text
            text = fragment.text_content()
        except (ValueError, TypeError):
            text = re.sub(r"<[^>]*>", " ", text)
    return " ".join(text.split())[:limit]


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) < 1e9 else None  # not NaN, not absurd


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _review(node: dict, *, base_url: str, page_url: str) -> ParsedReview:
    url = node.get("url") or node.get("@id") or page_url
    url = urljoin(base_url, str(_first(url) or "").strip())
    if not is_web_url(url):
        raise ValueError(f"its URL {url[:100]!r} is not a web address")
    claim = _plain(node.get("claimReviewed"), _TEXT_LIMITS["claim_reviewed"])
    item = _first(node.get("itemReviewed")) or {}
    item = item if isinstance(item, dict) else {}
    if not claim:
        claim = _plain(item.get("name") or item.get("text"), _TEXT_LIMITS["claim_reviewed"])
    if not claim:
        raise ValueError("it names no claim (claimReviewed)")
    author = _first(node.get("author") or node.get("publisher")) or {}
    author = author if isinstance(author, dict) else {"name": author}
    rating = _first(node.get("reviewRating")) or {}
    rating = rating if isinstance(rating, dict) else {}
    claim_author = _first(item.get("author")) or {}
    claim_date = parse_datetime_loose(item.get("datePublished") or item.get("dateCreated"))
    return ParsedReview(
        url=url,
        claim_reviewed=claim,
        publisher=_plain(author.get("name"), _TEXT_LIMITS["publisher"]),
        publisher_site=str(author.get("url") or "")[:253] if is_web_url(author.get("url")) else "",
        claimant=_plain(claim_author, _TEXT_LIMITS["claimant"]),
        claim_date=claim_date.date() if claim_date else None,
        reviewed_at=parse_datetime_loose(node.get("datePublished")),
        textual_rating=_plain(rating.get("alternateName") or rating.get("name"), _TEXT_LIMITS["textual_rating"]),
        rating_value=_number(rating.get("ratingValue")),
        best_rating=_number(rating.get("bestRating")),
        worst_rating=_number(rating.get("worstRating")),
        language=_plain(node.get("inLanguage"), 16).lower(),
    )


def _collect(tree: Any, out: ParseResult, *, base_url: str, page_url: str, where: str) -> None:
    for number, node in enumerate(_walk(tree), 1):
        if len(out.reviews) >= MAX_REVIEWS:
            out.refused.append((where, f"more than {MAX_REVIEWS} ClaimReviews; the rest were not read"))
            return
        try:
            out.reviews.append(_review(node, base_url=base_url, page_url=page_url))
        except ValueError as why:
            out.refused.append((f"{where}, ClaimReview {number}", str(why)))


def claimreviews_from_json(text: str, *, url: str) -> ParseResult:
    """A ClaimReview feed: a list, a single ClaimReview, or a page of them (``results`` with
    a ``next`` link, as ``/fact-checks/claimreview.json`` serves)."""
    out = ParseResult()
    try:
        data = json.loads(text)
    except ValueError as error:
        out.refused.append(("the feed", f"it is not valid JSON ({error})"))
        return out
    _collect(data, out, base_url=url, page_url="", where="the feed")
    if isinstance(data, dict) and isinstance(data.get("next"), str) and is_web_url(urljoin(url, data["next"])):
        out.next_url = urljoin(url, data["next"])
    if not out.reviews and not out.refused:
        out.refused.append(("the feed", "it holds no ClaimReview"))
    return out


def claimreviews_parse(text: str, *, url: str, is_html: bool) -> ParseResult:
    """A fact-check page's JSON-LD, or else a ClaimReview feed."""
    return claimreviews_from_html(text, url=url) if is_html else claimreviews_from_json(text, url=url)


def claimreviews_from_html(html: str, *, url: str) -> ParseResult:
    """Every ClaimReview in a page's JSON-LD blocks; the page's own URL stands in for a
    review that gives none."""
    import lxml.html

    out = ParseResult()
    try:
        document = lxml.html.document_fromstring(html)
    except (ValueError, TypeError) as error:
        out.refused.append(("the page", f"it could not be read as HTML ({error})"))
        return out
    blocks = document.xpath("//script[translate(@type, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', "
                            "'abcdefghijklmnopqrstuvwxyz')='application/ld+json']")
    base = urljoin(url, (document.xpath("//base/@href") or [url])[0])
    for number, block in enumerate(blocks, 1):
        source = re.sub(r"^\s*<!--|-->\s*$", "", block.text_content() or "").strip()
        try:
            data = json.loads(source, strict=False)
        except ValueError as error:
            out.refused.append((f"JSON-LD block {number}", f"it is not valid JSON ({error})"))
            continue
        _collect(data, out, base_url=base, page_url=url, where=f"JSON-LD block {number}")
    if not out.reviews and not out.refused:
        out.refused.append(("the page", "it has no ClaimReview in its JSON-LD"))
    return out

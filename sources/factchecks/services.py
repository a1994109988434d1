"""Importing prior fact-checks: fetch through the safe fetcher, parse, and upsert each
ClaimReview by its URL and claim, with the publisher's rating normalised to our scale."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from sources.connectors.claimreview import IMPORT_CONTENT_TYPES
from sources.factchecks.models import PriorFactCheck, PriorFactCheckOrigin
from sources.factchecks.parsing import ParsedReview, claimreviews_parse
from sources.factchecks.ratings import rating_mappings, rating_normalise
from sources.fetching import FetchError, fetch, normalise_url, registrable_domain

#: A paginated feed is followed this many pages at most.
MAX_FEED_PAGES = 20


class FactCheckImportFailed(Exception):
    """Nothing could be read (the fetch failed or was refused); nothing was written."""


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (which, why)
    pages: int = 0

    def summary(self) -> str:
        return (f"Added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
                f"refused {len(self.refused)} (from {self.pages} page{'s' if self.pages != 1 else ''}).")


def prior_factcheck_fingerprint(url: str, claim: str) -> str:
    text = " ".join(claim.split()).lower()
    return hashlib.sha256(f"{normalise_url(url)}\n{text}".encode()).hexdigest()


def _fields(review: ParsedReview, *, origin: str, imported_from: str, publisher: str,
            mappings: dict[tuple[str, str], str]) -> dict:
    publisher = publisher or review.publisher or registrable_domain(review.publisher_site or review.url) or ""
    return {
        "url": review.url,
        "publisher": publisher[:200],
        "publisher_site": review.publisher_site,
        "claim_reviewed": review.claim_reviewed,
        "claimant": review.claimant,
        "claim_date": review.claim_date,
        "reviewed_at": review.reviewed_at,
        "textual_rating": review.textual_rating,
        "rating_value": review.rating_value,
        "best_rating": review.best_rating,
        "worst_rating": review.worst_rating,
        "normalised_rating": rating_normalise(
            textual=review.textual_rating, publisher=publisher, value=review.rating_value,
            best=review.best_rating, worst=review.worst_rating, mappings=mappings),
        "language": review.language,
        "origin": origin,
        "imported_from": imported_from if imported_from != review.url else "",
    }


@transaction.atomic
def prior_factchecks_record(reviews: list[ParsedReview], *, origin: str, imported_from: str = "",
                            publisher: str = "", report: ImportReport | None = None) -> ImportReport:
    """Insert or update one row per review (same URL and claim: same row). A publisher named
    by the importer overrides what the reviews say."""
    report = report or ImportReport()
    mappings = rating_mappings()
    for review in reviews:
        fields = _fields(review, origin=origin, imported_from=imported_from, publisher=publisher,
                         mappings=mappings)
        if not fields["publisher"]:
            report.refused.append((review.url, "no publisher is named (give one with --publisher)"))
            continue
        fingerprint = prior_factcheck_fingerprint(review.url, review.claim_reviewed)
        existing = PriorFactCheck.objects.select_for_update().filter(fingerprint=fingerprint).first()
        if existing is None:
            PriorFactCheck.objects.create(fingerprint=fingerprint, **fields)
            report.added += 1
            continue
        changed = [name for name, value in fields.items() if getattr(existing, name) != value]
        if not changed:
            report.unchanged += 1
            continue
        for name in changed:
            setattr(existing, name, fields[name])
        existing.save(update_fields=[*changed, "updated_at"])
        report.updated += 1
    return report


def prior_factchecks_from_items(items: list, *, origin: str = PriorFactCheckOrigin.GOOGLE) -> ImportReport:
    """Keep the publisher's rating that the Fact Check Tools connector reads with each item
    (``FeedItem.extra``), as prior fact-checks, beside the documents the items also become."""
    from sources.factchecks.parsing import _plain

    reviews = []
    report = ImportReport()
    for item in items:
        extra = item.extra or {}
        claim = _plain(extra.get("claim_text") or item.summary, 5000)
        if not claim:
            report.refused.append((item.url, "it names no claim"))
            continue
        claim_date = extra.get("claim_date")
        reviews.append(ParsedReview(
            url=item.url, claim_reviewed=claim, publisher=_plain(item.outlet_name, 200),
            publisher_site=item.outlet_domain or "", claimant=_plain(extra.get("claimant"), 300),
            claim_date=claim_date.date() if isinstance(claim_date, datetime) else claim_date,
            reviewed_at=item.published_at,
            textual_rating=_plain(extra.get("textual_rating"), 300), language=(item.language or "")[:16],
            rating_value=extra.get("rating_value"), best_rating=extra.get("best_rating"),
            worst_rating=extra.get("worst_rating"),
        ))
    return prior_factchecks_record(reviews, origin=origin, report=report)


def factchecks_import(*, url: str, publisher: str = "") -> ImportReport:
    """Import a ClaimReview feed (JSON, following ``next`` links) or a fact-check page
    (JSON-LD). Raises FactCheckImportFailed when the first fetch fails; a later feed page that
    fails is reported as refused and what came before is kept."""
    report = ImportReport()
    publisher = " ".join((publisher or "").split())[:200]
    seen: set[str] = set()
    next_url = url
    while next_url and report.pages < MAX_FEED_PAGES:
        if normalise_url(next_url) in seen:
            report.refused.append((next_url, "the feed's next link goes back to a page already read"))
            break
        seen.add(normalise_url(next_url))
        try:
            result = fetch(next_url, allowed_content_types=IMPORT_CONTENT_TYPES)
        except FetchError as error:
            if report.pages == 0:
                raise FactCheckImportFailed(str(error)) from None
            report.refused.append((next_url, f"this feed page could not be fetched: {error}"))
            break
        report.pages += 1
        parsed = claimreviews_parse(result.text, url=result.final_url, is_html=result.is_html)
        origin = PriorFactCheckOrigin.PAGE if result.is_html else PriorFactCheckOrigin.FEED
        report.refused.extend(parsed.refused)
        prior_factchecks_record(parsed.reviews, origin=origin, imported_from=result.final_url,
                                publisher=publisher, report=report)
        next_url = parsed.next_url
    if next_url and report.pages >= MAX_FEED_PAGES:
        report.refused.append((next_url, f"stopped after {MAX_FEED_PAGES} feed pages"))
    return report


def prior_factchecks_renormalise() -> int:
    """Apply the rating mappings again to every prior fact-check (after the table changed);
    returns how many changed."""
    changed = 0
    mappings = rating_mappings()
    rows = PriorFactCheck.objects.only("pk", "publisher", "textual_rating", "rating_value", "best_rating",
                                       "worst_rating", "normalised_rating")
    for row in rows.iterator(chunk_size=2000):
        label = rating_normalise(textual=row.textual_rating, publisher=row.publisher, value=row.rating_value,
                                 best=row.best_rating, worst=row.worst_rating, mappings=mappings)
        if label != row.normalised_rating:
            PriorFactCheck.objects.filter(pk=row.pk).update(normalised_rating=label)
            changed += 1
    return changed

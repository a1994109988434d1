"""Claims as rows (CSV) and documents (JSON), and the streams that write them.

Every function here takes one claim at a time and yields text, so an export of any size
holds one chunk of claims in memory, never the whole list.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder

from claims.exports.reports import public_url_for
from claims.models import Claim, VerdictState

CSV_COLUMNS = [
    "id",
    "text",
    "claimant",
    "status",
    "priority",
    "assignee",
    "tags",
    "said_on",
    "said_url",
    "created_at",
    "supporting_count",
    "denying_count",
    "verdict_rating",
    "verdict_headline",
    "public_url",
]

# A spreadsheet treats a cell starting with one of these as a formula (tab and carriage
# return too: some spreadsheets strip them and then see the formula behind them).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Excel opens a UTF-8 CSV without a byte-order mark in the machine's legacy code page, so
# "Zürich" or "Юлия" arrive garbled; the BOM tells it the file is UTF-8. Scripts that read
# the command's output do not need it, so only downloads carry it.
UTF8_BOM = "\ufeff"


def neutralise_cell(value) -> str:
    """Stop a spreadsheet from executing a cell: prefix a single quote to text that would
    start a formula. Other text is returned unchanged."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def claim_row(claim: Claim) -> dict:
    """The flat list-export row. Expects lists.with_export_columns()'s annotations."""
    return {
        "id": claim.pk,
        "text": claim.text,
        "claimant": claim.claimant,
        "status": claim.status,
        "priority": claim.get_priority_display(),
        "assignee": claim.assignee.get_username() if claim.assignee else "",
        "tags": ", ".join(claim.export_tags),
        "said_on": claim.said_on.isoformat() if claim.said_on else "",
        "said_url": claim.said_url,
        "created_at": claim.created_at.isoformat(),
        "supporting_count": claim.export_supporting_count,
        "denying_count": claim.export_denying_count,
        "verdict_rating": claim.export_verdict_rating or "",
        "verdict_headline": claim.export_verdict_headline or "",
        "public_url": public_url_for(claim),
    }


class _LineBuffer:
    """csv.writer needs a file; this one hands back each line instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_stream(claims: Iterable[Claim], *, bom: bool = True) -> Iterator[str]:
    writer = csv.writer(_LineBuffer())
    yield (UTF8_BOM if bom else "") + writer.writerow(CSV_COLUMNS)
    for claim in claims:
        row = claim_row(claim)
        yield writer.writerow([neutralise_cell(row[column]) for column in CSV_COLUMNS])


def json_array_stream(documents: Iterable[dict]) -> Iterator[str]:
    """A JSON array written element by element: valid JSON as a whole, built one claim
    at a time (one element per line, so it also diffs and greps well)."""
    yield "["
    separator = "\n"
    for document in documents:
        yield separator + json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def _verdict_of(claim: Claim) -> dict | None:
    """The verdict that stands: the latest approved version, else the latest version
    (its ``state`` says which)."""
    versions = claim.export_versions  # newest first
    chosen = next((v for v in versions if v.state == VerdictState.APPROVED), None)
    chosen = chosen or (versions[0] if versions else None)
    if chosen is None:
        return None
    return {
        "version": chosen.number,
        "state": chosen.state,
        "rating": chosen.rating.label,
        "rating_value": chosen.rating.rating_value,
        "headline": chosen.headline,
        "published_at": chosen.published_at,
    }


def claim_document(claim: Claim) -> dict:
    """The full JSON record of a claim, from lists.in_chunks_with_details()."""
    document = claim_row(claim)
    document["priority"] = claim.priority
    document["priority_label"] = claim.get_priority_display()
    document["tags"] = list(claim.export_tags)
    document["said_on"] = claim.said_on
    document["said_where"] = claim.said_where
    document["claimant_kind"] = claim.claimant_kind
    document["created_at"] = claim.created_at
    document["updated_at"] = claim.updated_at
    document["published_at"] = claim.published_at
    del document["verdict_rating"], document["verdict_headline"]
    document["verdict"] = _verdict_of(claim)
    document["evidence"] = [
        {
            "stance": item.stance,
            "speaker": item.speaker,
            "speaker_is_party": item.speaker_is_party,
            "is_denial": item.is_denial,
            "quote": item.quote,
            "source_url": item.source.url,
            "source_title": item.source.title,
            "outlet": item.source.outlet.name if item.source.outlet else None,
            "snapshot_sha256": snapshot.sha256 if (snapshot := item.export_snapshot) else None,
            "snapshot_fetched_at": snapshot.fetched_at if snapshot else None,
        }
        for item in claim.export_evidence
    ]
    document["coverage_suggestions"] = [
        {
            "stance": suggestion.stance,
            "stance_confidence": suggestion.stance_confidence,
            "relevance": suggestion.relevance,
            "status": suggestion.status,
            "document_url": suggestion.document.canonical_url,
            "document_title": suggestion.document.title,
        }
        for suggestion in claim.export_suggestions
    ]
    return document

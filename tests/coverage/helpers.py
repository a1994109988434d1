"""Documents and suggestions for coverage tests (documents are stored like the feeds do)."""

from __future__ import annotations

import itertools

from sources.documents import documents_index
from sources.language import detect_language
from sources.models import Document
from tests.factories import OutletFactory

_numbers = itertools.count(1)

MILITARY_AID_CLAIM = "Russia asked China for military assistance."

SUPPORTING_STORY = {
    "title": "Russia asked China for military aid after invading Ukraine, U.S. officials say",
    "text": (
        "Russia has asked China for military equipment and assistance since its invasion of "
        "Ukraine, U.S. officials said on Sunday. Russia asked China for drones and other military "
        "aid. The request was confirmed by two officials. Russia asked China for military "
        "assistance after the invasion began, and China has signalled willingness to help."
    ),
}
DENYING_STORY = {
    "title": "Fake: Russia did not ask China for military assistance",
    "text": (
        "FAKE: Russia did NOT ask China for military assistance. The rumour is untrue and was "
        "debunked. The Kremlin denied it, and Beijing dismissed the claim as a lie."
    ),
}
UNRELATED_STORY = {
    "title": "Paris festival draws crowds in the sunshine",
    "text": "The weather in Paris was sunny today with temperatures reaching 25 degrees.",
}


def make_document(*, title: str, text: str = "", summary: str = "", outlet=None, url: str = "",
                  fingerprint: str = "", **fields) -> Document:
    n = next(_numbers)
    outlet = outlet or OutletFactory()
    # As the article store does: the language is detected from the headline and lede.
    fields.setdefault("language", detect_language(f"{title}. {summary or text}"[:400]))
    document = Document.objects.create(
        canonical_url=url or f"https://{outlet.domain}/news/story-{n}",
        title=title,
        text=text,
        summary=summary,
        outlet=outlet,
        fingerprint=fingerprint,
        **fields,
    )
    documents_index(document_ids=[document.pk], only_missing=True)
    document.refresh_from_db()
    return document

"""The claim's full-text document, rebuilt after any change to the words it is made of."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector
from django.db.models import TextField, Value

from claims.models import Claim


def claim_refresh_search(*, claim_id: int) -> None:
    """Rebuild the claim's full-text document from its text, claimant, notes and quotes.

    Weights: the claim and claimant rank above evidence quotes, which rank above notes.
    """
    from claims.models import Evidence, Note
    from sources.language import ts_config

    quotes = " ".join(
        Evidence.objects.active().filter(claim_id=claim_id).values_list("quote", flat=True)
    )
    notes = " ".join(Note.objects.filter(claim_id=claim_id).values_list("body", flat=True))
    # In the claim's own language once the embedding worker has detected it (English before).
    language = Claim.objects.filter(pk=claim_id).values_list("language", flat=True).first()
    config = ts_config(language or "en")
    Claim.objects.filter(pk=claim_id).update(
        search_vector=SearchVector("text", weight="A", config=config)
        + SearchVector("claimant", weight="A", config=config)
        + SearchVector(Value(quotes, output_field=TextField()), weight="B", config=config)
        + SearchVector(Value(notes, output_field=TextField()), weight="C", config=config)
    )

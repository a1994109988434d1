"""Embedding documents and claims: the work of the embedding queue.

Embedding costs CPU (``core.embeddings``), so it runs in a Celery queue of its own
(``settings.CELERY_EMBEDDING_QUEUE``), consumed by its own worker process, and never in a web
request (the intake warning embeds the one short text being typed, nothing else).

* ``documents_embed``: each document is embedded as one passage, its headline and the start of
  its lede (``text.lead_passage``, bounded in tokens: the encoder's cost grows with every
  token). The vector goes to ``Document.embedding`` (pgvector, HNSW-indexed) and, as the one
  row the stance model reads, to ``embedding_units``. Then the semantic matching pass runs
  (``matching.documents_match_semantic``): vector candidates, cross-lingual stance.
* ``claims_embed``: a claim's language is detected (its full-text vector is rebuilt with that
  language's configuration) and its text embedded as a ``query:``.
* ``prior_factchecks_embed``: the claim another publisher reviewed (``PriorFactCheck``),
  embedded as a ``query:`` like our claims, so "checked elsewhere" finds it in any language.
* ``embeddings_sweep`` (beat): whatever lacks a vector (a lost message, the demo seed, rows
  from before this feature) is sent to the queue again, a batch at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.corroboration.core import embeddings, text
from claims.models import Claim, ClaimStatus
from sources.language import detect_language
from sources.models import Document
from workbench.metrics import model_timed

logger = logging.getLogger(__name__)

#: Documents embedded per model call (one task may carry more; they are done in chunks).
EMBED_CHUNK = 32
#: The sweep looks at documents stored this recently (older coverage is not news any more).
SWEEP_DOCUMENT_AGE = timedelta(days=14)
SWEEP_BATCH = 200


def embedding_queue() -> str:
    return settings.CELERY_EMBEDDING_QUEUE


def _passage_of(doc: dict) -> str:
    return text.lead_passage(doc["title"], text.document_body(doc["summary"], doc["text_head"]))


def documents_embed(*, document_ids: Iterable[int]) -> list[int]:
    """Embed the documents that have no vector yet; returns the ids embedded now. Idempotent:
    a document already embedded is skipped, and a concurrent run writes the same vector."""
    from django.db.models.functions import Left

    ids = sorted({int(i) for i in document_ids})
    done: list[int] = []
    for start in range(0, len(ids), EMBED_CHUNK):
        chunk = list(
            Document.objects.filter(pk__in=ids[start:start + EMBED_CHUNK], embedding__isnull=True)
            .annotate(text_head=Left("text", text.LEAD_CHARS * 2))
            .values("id", "title", "summary", "text_head", "language")
        )
        if not chunk:
            continue
        passages = [_passage_of(doc) or "-" for doc in chunk]
        with model_timed("embedding"):
            vectors = embeddings.embed_passages(passages)
        for doc, passage, vector in zip(chunk, passages, vectors, strict=True):
            fields = {
                "embedding": vector.tolist(),
                "embedding_units": embeddings.pack_units(vector[None, :]),
            }
            if not doc["language"]:
                fields["language"] = detect_language(passage)
            Document.objects.filter(pk=doc["id"], embedding__isnull=True).update(**fields)
            done.append(doc["id"])
    return done


def claims_embed(*, claim_ids: Iterable[int]) -> list[int]:
    """Detect each claim's language, re-index its text in that language and embed it."""
    from claims.services import claim_refresh_search

    done = []
    rows = list(Claim.objects.filter(pk__in=list(claim_ids), embedding__isnull=True)
                .values_list("id", "text"))
    for start in range(0, len(rows), EMBED_CHUNK):
        chunk = rows[start:start + EMBED_CHUNK]
        with model_timed("embedding"):
            vectors = embeddings.embed_queries([t for _, t in chunk])
        for (claim_id, claim_text), vector in zip(chunk, vectors, strict=True):
            language = detect_language(claim_text) or "en"
            # Only if the text is still the one embedded (an edit clears the vector again).
            updated = Claim.objects.filter(pk=claim_id, text=claim_text, embedding__isnull=True).update(
                embedding=vector.tolist(), language=language
            )
            if updated:
                claim_refresh_search(claim_id=claim_id)
                done.append(claim_id)
    return done


def prior_factchecks_embed(*, ids: Iterable[int]) -> list[int]:
    """Embed prior fact-checks that have no vector yet; returns the ids embedded now."""
    from sources.models import PriorFactCheck

    done = []
    rows = list(PriorFactCheck.objects.filter(pk__in=list(ids), embedding__isnull=True)
                .values_list("id", "claim_reviewed"))
    for start in range(0, len(rows), EMBED_CHUNK):
        chunk = rows[start:start + EMBED_CHUNK]
        with model_timed("embedding"):
            vectors = embeddings.embed_queries([t for _, t in chunk])
        for (pk, _), vector in zip(chunk, vectors, strict=True):
            PriorFactCheck.objects.filter(pk=pk, embedding__isnull=True).update(embedding=vector.tolist())
            done.append(pk)
    return done


def _send(task_name: str, ids: list[int]) -> None:
    from claims.corroboration import tasks

    try:
        getattr(tasks, task_name.rsplit(".", 1)[1]).apply_async(args=[ids], queue=embedding_queue())
    except Exception as exc:  # noqa: BLE001 - the broker is down: never fail the user's request;
        # beat's embeddings_sweep sends whatever still lacks a vector once it is back.
        logger.warning("could not queue %s for %d id(s): %s", task_name, len(ids), exc)


def documents_embed_later(*, document_ids: Iterable[int]) -> None:
    """Hand documents to the embedding queue once the current transaction commits."""
    ids = sorted({int(i) for i in document_ids})
    if ids:
        transaction.on_commit(lambda: _send("claims.corroboration.tasks.documents_embed", ids))


def claim_embed_later(*, claim_id: int) -> None:
    transaction.on_commit(lambda: _send("claims.corroboration.tasks.claims_embed", [claim_id]))


def embeddings_sweep() -> tuple[int, int]:
    """Queue what still has no vector: recent documents, claims intake can still find, and
    prior fact-checks."""
    since = timezone.now() - SWEEP_DOCUMENT_AGE
    documents = list(
        Document.objects.filter(embedding__isnull=True, created_at__gte=since)
        .order_by("-created_at").values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    claims = list(
        Claim.objects.filter(embedding__isnull=True)
        .exclude(status__in=(ClaimStatus.DUPLICATE, ClaimStatus.REJECTED))
        .order_by("-created_at").values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for start in range(0, len(documents), EMBED_CHUNK):
        _send("claims.corroboration.tasks.documents_embed", documents[start:start + EMBED_CHUNK])
    if claims:
        _send("claims.corroboration.tasks.claims_embed", claims)
    from sources.models import PriorFactCheck

    checks = list(PriorFactCheck.objects.filter(embedding__isnull=True).order_by("-pk")
                  .values_list("pk", flat=True)[:SWEEP_BATCH])
    if checks:  # imports are rare and small: the sweep is how they get their vectors
        _send("claims.corroboration.tasks.prior_factchecks_embed", checks)
    return len(documents), len(claims)

"""Celery tasks for coverage. Tasks take ids, reload rows and call matching or services.

Embedding tasks run on their own queue (``settings.CELERY_EMBEDDING_QUEUE``): they are slow
and CPU-bound, and must not hold up feed polls, archiving or matching.
"""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)

#: A task handles at most this many document ids; longer lists are split into more tasks.
MATCH_TASK_CHUNK = 1000
EMBED_TASK_CHUNK = 64


def _split(task, ids: list[int], chunk: int, queue: str | None) -> list[int]:
    """Send all but the first ``chunk`` ids as further tasks on the same queue."""
    for start in range(chunk, len(ids), chunk):
        task.apply_async(args=[ids[start:start + chunk]], **({"queue": queue} if queue else {}))
    return ids[:chunk]


@shared_task(
    name="claims.corroboration.tasks.documents_match",
    bind=True,
    soft_time_limit=240,
    time_limit=300,
)
def documents_match(self, document_ids: list[int], ticket: str | None = None) -> int:
    """The lexical pass over newly stored documents, then hand them to the embedding queue.

    Sent with a ``ticket`` by the documents' follow-up work (``sources.followups``, in
    batches below the chunk size): only documents still waiting for matching under that
    ticket are matched, then marked done. Without one (a run by hand) the given documents
    are matched whatever their state.
    """
    from claims.corroboration.embedding import documents_embed_later
    from claims.corroboration.matching import documents_match as match
    from claims.corroboration.resurfacing import documents_resurface
    from sources.documents import documents_mark_matched
    from sources.followups import DOCUMENT_MATCH
    from workbench.followup import followup_begin

    ids = sorted({int(i) for i in document_ids or []})
    if ticket is not None:
        ids = followup_begin(DOCUMENT_MATCH, ids, ticket)
    else:
        queue = (self.request.delivery_info or {}).get("routing_key")
        ids = _split(self, ids, MATCH_TASK_CHUNK, queue)
    if not ids:
        return 0
    created = match(document_ids=ids)
    documents_resurface(document_ids=ids)  # claims we published as false, spreading again
    documents_mark_matched(document_ids=ids)
    documents_embed_later(document_ids=ids)  # outside a transaction: sent at once
    logger.info("documents_match: %s documents, %s new suggestions", len(ids), created)
    return created


@shared_task(
    name="claims.corroboration.tasks.documents_embed",
    bind=True,
    soft_time_limit=540,
    time_limit=600,
)
def documents_embed(self, document_ids: list[int]) -> int:
    """Embed documents, then run the semantic matching pass on them. Idempotent."""
    from claims.corroboration.embedding import documents_embed as embed
    from claims.corroboration.matching import documents_match_semantic

    ids = sorted({int(i) for i in document_ids or []})
    queue = (self.request.delivery_info or {}).get("routing_key")
    ids = _split(self, ids, EMBED_TASK_CHUNK, queue)
    embedded = embed(document_ids=ids)
    created = documents_match_semantic(document_ids=embedded) if embedded else 0
    logger.info("documents_embed: %s embedded, %s new suggestions", len(embedded), created)
    return created


@shared_task(
    name="claims.corroboration.tasks.claims_embed",
    soft_time_limit=240,
    time_limit=300,
)
def claims_embed(claim_ids: list[int]) -> int:
    """Detect claims' languages and embed them, then look for their coverage among the
    embedded documents (what the semantic pass saw before the claim had a vector; documents
    still waiting for theirs meet the claim in their own pass). Idempotent."""
    from claims.corroboration.embedding import claims_embed as embed
    from claims.corroboration.matching import claim_candidate_documents, claim_match_documents
    from claims.models import OPEN_STATUSES, Claim

    done = embed(claim_ids=[int(i) for i in claim_ids or []])
    created = 0
    for claim in Claim.objects.filter(pk__in=done, status__in=OPEN_STATUSES):
        candidates = claim_candidate_documents(claim=claim, fulltext=False)
        created += claim_match_documents(claim=claim, document_ids=candidates)
    logger.info("claims_embed: %s embedded, %s new suggestions", len(done), created)
    return len(done)


@shared_task(
    name="claims.corroboration.tasks.prior_factchecks_embed",
    soft_time_limit=240,
    time_limit=300,
)
def prior_factchecks_embed(ids: list[int]) -> int:
    """Embed other publishers' fact-checks (sent by the sweep). Idempotent."""
    from claims.corroboration.embedding import prior_factchecks_embed as embed

    return len(embed(ids=[int(i) for i in ids or []]))


@shared_task(name="claims.corroboration.tasks.embeddings_sweep",
             soft_time_limit=60, time_limit=90)
def embeddings_sweep() -> str:
    """Beat: send whatever still lacks a vector to the embedding queue."""
    from claims.corroboration.embedding import embeddings_sweep as sweep

    documents, claims = sweep()
    return f"queued {documents} documents and {claims} claims"


@shared_task(
    name="claims.corroboration.tasks.coverage_gather",
    soft_time_limit=300,
    time_limit=360,
)
def coverage_gather(run_id: int, ticket: str | None = None) -> None:
    """Run one "gather coverage now" request (see claims.corroboration.gathering).

    Durable follow-up work (``workbench.followup``): only the message with the run's
    current ``ticket`` starts it, so a duplicate or a stale redelivery does nothing.
    """
    from claims.corroboration.gathering import gather_run_execute
    from claims.followups import GATHER_RUN
    from workbench.followup import followup_begin

    if not followup_begin(GATHER_RUN, [run_id], ticket):
        return
    gather_run_execute(run_id=run_id)

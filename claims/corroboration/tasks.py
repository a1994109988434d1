"""Celery tasks for coverage. Tasks take ids, reload rows and call matching or services."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)

#: A task handles at most this many document ids; longer lists are split into more tasks.
MATCH_TASK_CHUNK = 1000


@shared_task(
    name="claims.corroboration.tasks.documents_match",
    bind=True,
    acks_late=True,
    ignore_result=True,
    soft_time_limit=240,
    time_limit=300,
)
def documents_match(self, document_ids: list[int]) -> int:
    """Suggest newly stored documents to the open claims they cover. Idempotent."""
    from claims.corroboration.matching import documents_match as match

    ids = sorted({int(i) for i in document_ids or []})
    if len(ids) > MATCH_TASK_CHUNK:
        queue = (self.request.delivery_info or {}).get("routing_key")
        for start in range(MATCH_TASK_CHUNK, len(ids), MATCH_TASK_CHUNK):
            chunk = ids[start : start + MATCH_TASK_CHUNK]
            self.apply_async(args=[chunk], **({"queue": queue} if queue else {}))
        ids = ids[:MATCH_TASK_CHUNK]
    created = match(document_ids=ids)
    logger.info("documents_match: %s documents, %s new suggestions", len(ids), created)
    return created


@shared_task(
    name="claims.corroboration.tasks.coverage_gather",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=300,
    time_limit=360,
)
def coverage_gather(run_id: int) -> None:
    """Run one "gather coverage now" request (see claims.corroboration.gathering)."""
    from claims.corroboration.gathering import gather_run_execute

    gather_run_execute(run_id=run_id)

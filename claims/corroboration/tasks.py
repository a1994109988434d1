"""Celery tasks for coverage. Tasks take ids, reload rows and call matching or services."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)

@shared_task(
    name="claims.corroboration.tasks.documents_match",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=240,
    time_limit=300,
)
def documents_match(document_ids: list[int], ticket: str | None = None) -> int:
    """Suggest newly stored documents to the open claims they cover. Idempotent.

    Sent with a ``ticket`` by the documents' follow-up work (``sources.followups``): only
    documents still waiting for matching under that ticket are matched, then marked done.
    Without one (a run by hand) the given documents are matched whatever their state.
    """
    from claims.corroboration.matching import documents_match as match
    from sources.documents import documents_mark_matched
    from sources.followups import DOCUMENT_MATCH
    from workbench.followup import followup_begin

    ids = sorted({int(i) for i in document_ids or []})
    if ticket is not None:
        ids = followup_begin(DOCUMENT_MATCH, ids, ticket)
    if not ids:
        return 0
    created = match(document_ids=ids)
    documents_mark_matched(document_ids=ids)
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

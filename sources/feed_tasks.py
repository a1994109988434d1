"""Celery tasks for feeds. Tasks take ids, reload rows and call a service.

Delivery guarantees (``workbench.task_policy``): ``acks_late`` + ``reject_on_worker_lost``
mean a poll whose worker dies is delivered again (Redis: once the broker's
``visibility_timeout`` has passed; the filesystem transport used on laptops does not
redeliver, so there the feed simply stays due and the next ``feeds_poll_due`` run, a minute later, enqueues it again). Either way
the poll is safe to repeat: documents are upserted by canonical URL and the dead poll's
"running" row is closed as abandoned by the next poller (see ``sources.feeds``).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from sources.connectors import FeedError
from sources.feeds import feed_poll, feeds_claim_due
from sources.fetching import FetchError
from workbench.task_policy import backoff

logger = logging.getLogger(__name__)

RETRY_BASE_SECONDS = 20
RETRY_MAX_SECONDS = 300
MAX_RETRIES = 3


def retry_countdown(retries: int) -> float:
    """20 s, 40 s, 80 s... capped at 5 minutes (the one formula, ``task_policy.backoff``)."""
    return backoff(retries, base=RETRY_BASE_SECONDS, cap=RETRY_MAX_SECONDS)


@shared_task(name="sources.feed_tasks.feeds_poll_due")
def feeds_poll_due(queue: str | None = None) -> int:
    """Beat runs this every minute: one ``feed_poll_task`` per due feed not queued already."""
    ids = feeds_claim_due()
    for feed_id in ids:
        options = {"queue": queue} if queue else {}
        feed_poll_task.apply_async(args=[feed_id], **options)
    if ids:
        logger.info("enqueued %d due feed poll(s)", len(ids))
    return len(ids)


@shared_task(
    bind=True,
    name="sources.feed_tasks.feed_poll_task",
    max_retries=MAX_RETRIES,
    soft_time_limit=90,  # the fetcher's own total timeout is 30 s; storing is quick
    time_limit=120,
)
def feed_poll_task(self, feed_id: int) -> str:
    # A first delivery polls only if the feed is still due: a duplicate or re-delivered
    # message for a feed someone has just polled does nothing. Retries of a transient
    # failure poll regardless (the failure already pushed next_poll_at into the future).
    try:
        poll = feed_poll(feed_id=feed_id, only_if_due=self.request.retries == 0,
                         raise_transient=True)
    except (FeedError, FetchError) as exc:
        if getattr(exc, "transient", False) and self.request.retries < MAX_RETRIES:
            raise self.retry(exc=exc, countdown=retry_countdown(self.request.retries)) from None
        return f"failed: {exc}"
    if poll is None:
        return "skipped"
    if poll.error:
        return f"{poll.status}: {poll.error}"
    return f"{poll.status}: {poll.items_new} new of {poll.items_seen}"


@shared_task(
    bind=True,
    name="sources.feed_tasks.document_fetch_text_task",
    max_retries=MAX_RETRIES,
    soft_time_limit=60,
    time_limit=90,
)
def document_fetch_text_task(self, document_id: int) -> str:
    """Fetch a new document's page and keep its main text (FEED_FETCH_FULL_TEXT)."""
    from sources.documents import documents_index
    from sources.extraction import extract_document
    from sources.fetching import fetch
    from sources.models import Document

    document = Document.objects.filter(pk=document_id).only("pk", "canonical_url", "text", "fetched_at").first()
    if document is None or document.fetched_at is not None:
        return "skipped"
    try:
        extracted = extract_document(fetch(document.canonical_url))
    except FetchError as exc:
        if exc.transient and self.request.retries < MAX_RETRIES:
            raise self.retry(exc=exc, countdown=retry_countdown(self.request.retries)) from None
        Document.objects.filter(pk=document_id, fetched_at__isnull=True).update(fetched_at=timezone.now())
        return f"failed: {exc}"
    updated = Document.objects.filter(pk=document_id, fetched_at__isnull=True).update(
        text=extracted.text or document.text, fetched_at=timezone.now()
    )
    if updated:
        documents_index(document_ids=[document_id])
    return "fetched"

"""Celery tasks for archiving and link checks. Tasks take ids, reload rows and call a service.

* ``source_archive(source_id)`` — archive a source (once; a second run is a no-op).
* ``source_link_check(source_id)`` — re-fetch a cited source and record ok/changed/gone.
* ``links_check_due()`` — beat, every 15 minutes: enqueue link checks for a bounded batch.

Only transient fetch errors (``FetchError.transient``) are retried, with exponential
backoff and jitter, at most ``MAX_RETRIES`` times; then the source is marked failed.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from sources import services
from sources.fetching import FetchError
from sources.followups import SOURCE_ARCHIVE
from sources.models import Source
from workbench.followup import followup_begin, followup_retry_ticket
from workbench.followup import grace as followup_grace
from workbench.task_policy import backoff

logger = logging.getLogger(__name__)

MAX_RETRIES = 3
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 15 * 60
SOFT_TIME_LIMIT = 90  # the fetcher's own total deadline is 30 s; extraction can be slow
HARD_TIME_LIMIT = 120


def backoff_seconds(retries: int) -> float:
    """30 s, 60 s, 120 s... capped at 15 minutes (the one formula, ``task_policy.backoff``)."""
    return backoff(retries, base=BACKOFF_BASE_SECONDS, cap=BACKOFF_CAP_SECONDS)


def _retry_delay(task, exc: FetchError) -> float:
    delay = backoff_seconds(task.request.retries)
    retry_after = getattr(exc, "retry_after", None)
    if retry_after:  # honour the server's Retry-After when it asks for longer
        delay = max(delay, min(float(retry_after), BACKOFF_CAP_SECONDS))
    return delay


@shared_task(
    bind=True,
    name="sources.tasks.source_archive",
    max_retries=MAX_RETRIES,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=HARD_TIME_LIMIT,
)
def source_archive(self, source_id: int, force: bool = False, ticket: str | None = None) -> int | None:
    """Archive one source. Returns the new snapshot's id, or None if nothing was archived.

    A pending source is archived once: the message must carry the source's current
    follow-up ``ticket`` (see ``workbench.followup``), so duplicates and stale redeliveries
    do nothing, and a source whose attempts keep killing the worker is parked as failed.
    ``force`` takes a fresh snapshot of an archived source (the "archive again" button).
    """
    if not force:
        if not followup_begin(SOURCE_ARCHIVE, [source_id], ticket):
            return None
    elif not Source.objects.filter(pk=source_id).exists():
        return None
    final_attempt = self.request.retries >= MAX_RETRIES
    try:
        snapshot = services.source_archive(
            source_id=source_id, force=force, final_attempt=final_attempt
        )
    except FetchError as exc:  # transient, and retries are left
        countdown = _retry_delay(self, exc)
        if not force:  # the retry carries the new ticket; the sweep waits past it
            ticket = followup_retry_ticket(SOURCE_ARCHIVE, [source_id], countdown=countdown)
        raise self.retry(exc=exc, countdown=countdown,
                         kwargs={"force": force, "ticket": ticket}) from exc
    except SoftTimeLimitExceeded:
        services.source_mark_failed(
            source_id=source_id,
            message=f"Archiving took longer than {SOFT_TIME_LIMIT} seconds and was stopped.",
        )
        return None
    return snapshot.pk if snapshot is not None else None


@shared_task(
    bind=True,
    name="sources.tasks.source_link_check",
    max_retries=MAX_RETRIES,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=HARD_TIME_LIMIT,
)
def source_link_check(self, source_id: int, force: bool = False) -> str | None:
    """Check one cited link. Skips a source checked within the interval unless ``force``."""
    source = Source.objects.filter(pk=source_id).only("link_checked_at").first()
    if source is None:
        return None
    if not force and source.link_checked_at and source.link_checked_at > _due_before():
        return None  # already checked recently (e.g. a duplicate enqueue)
    final_attempt = self.request.retries >= MAX_RETRIES
    try:
        check = services.source_link_check(source_id=source_id, final_attempt=final_attempt)
    except FetchError as exc:
        raise self.retry(exc=exc, countdown=_retry_delay(self, exc)) from exc
    except SoftTimeLimitExceeded:
        logger.warning("link check of source %s hit the time limit", source_id)
        return None
    return check.outcome if check is not None else None


def _due_before():
    hours = float(getattr(settings, "LINK_CHECK_INTERVAL_HOURS", 24))
    return timezone.now() - timedelta(hours=hours)


def cited_sources_due(limit: int):
    """Cited sources with a URL whose last link check is older than the interval (or never),
    leaving out those queued for a check within the follow-up grace period."""
    # The subquery avoids one row per evidence (a source cited by many claims appears once).
    cited = Source.objects.filter(evidence__isnull=False).values("pk")
    not_queued = Q(link_check_queued_at__isnull=True) | Q(
        link_check_queued_at__lt=timezone.now() - followup_grace()
    )
    return (
        Source.objects.filter(pk__in=cited)
        .exclude(url="")
        .filter(Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=_due_before()))
        .filter(not_queued)
        .order_by(F("link_checked_at").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)[:limit]
    )


@shared_task(name="sources.tasks.links_check_due", soft_time_limit=60, time_limit=90)
def links_check_due() -> int:
    """Beat: enqueue link checks for a bounded batch of due cited sources, each once: a
    source stays marked as queued until its check runs (or the grace period passes)."""
    batch = int(getattr(settings, "LINK_CHECK_BATCH_SIZE", 50))
    with transaction.atomic():
        due = list(cited_sources_due(batch))
        free = set(
            Source.objects.filter(pk__in=due).select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        source_ids = [pk for pk in due if pk in free]  # most overdue first
        Source.objects.filter(pk__in=source_ids).update(link_check_queued_at=timezone.now())
    for source_id in source_ids:
        source_link_check.delay(source_id)  # a task, outside any transaction
    return len(source_ids)

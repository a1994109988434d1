"""Feeds: adding them, polling them, and keeping their health visible.

A poll is one ``FeedPoll`` row. While a worker polls a feed it holds a PostgreSQL
session advisory lock on that feed: a second worker (a duplicate or re-delivered task)
sees the lock and steps aside, and a worker that dies mid-poll loses its database
session, which frees the lock. The next poller therefore knows that any poll still
marked "running" without a lock holder was abandoned, and closes it as failed.

The network fetch happens outside any transaction; storing the items, the poll outcome
and the feed's health happens in one transaction afterwards.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from sources.concurrency import try_advisory_lock
from sources.connectors import ConnectorResult, FeedConfig, FeedError, get_connector
from sources.documents import documents_upsert
from sources.factchecks.services import prior_factchecks_from_items
from sources.fetching import normalise_url, registrable_domain
from sources.followups import DOCUMENT_MATCH
from sources.models import Feed, FeedKind, FeedPoll, FeedPollStatus, PriorFactCheckOrigin
from sources.outlets import outlet_for_domain
from workbench.followup import followup_enqueue, max_attempts
from workbench.followup import grace as followup_grace
from workbench.task_policy import send_best_effort

__all__ = [
    "BACKOFF_MAX",
    "FeedAlreadyExists",
    "backoff_delay",
    "feed_add",
    "feed_health",
    "feed_poll",
    "feed_request_poll",
    "feed_set_active",
    "feeds_claim_due",
    "feeds_due",
]

logger = logging.getLogger(__name__)

QUERY_KINDS = {FeedKind.GDELT, FeedKind.FACTCHECK}
#: Feeds whose items are other publishers' fact-checks, kept as prior fact-checks too.
PRIOR_FACTCHECK_ORIGINS = {FeedKind.FACTCHECK: PriorFactCheckOrigin.GOOGLE,
                           FeedKind.CLAIMREVIEW: PriorFactCheckOrigin.FEED}
BACKOFF_MAX = timedelta(hours=24)
BACKOFF_JITTER = 0.1  # +-10 %: spreads retries of feeds that failed together
MAX_PROBLEMS_KEPT = 50
ADVISORY_NAMESPACE = 0x46454544  # "FEED": keeps our advisory locks apart from others'
ABANDONED_MESSAGE = (
    "Abandoned: the worker stopped before finishing this poll (killed, restarted or out of "
    "time). The feed was polled again."
)


PARKED_MESSAGE = (
    "Polling stopped: the last {n} polls of this feed never finished because the worker "
    "doing them stopped (killed, out of memory or crashed). Resume the feed to try again."
)


class FeedAlreadyExists(ValidationError):
    def __init__(self, feed: Feed):
        super().__init__(f"This feed is already being polled ({feed}).", code="duplicate")
        self.feed = feed


def _can_manage_feeds(actor) -> bool:
    # By permission name: sources/ never imports claims/ (where the role helpers live).
    return bool(actor and actor.is_authenticated and actor.is_active
                and actor.has_perm("sources.change_feed"))


def _require_feed_manager(actor) -> None:
    if actor is not None and not _can_manage_feeds(actor):
        raise PermissionDenied("Only editors can manage feeds.")


# --------------------------------------------------------------------------- adding


def feed_add(*, url: str = "", kind: str = FeedKind.RSS, outlet_name: str | None = None,
             interval_minutes: int = 30, query: str = "", title: str = "", actor=None) -> Feed:
    """Register a feed (RSS/Atom URL) or a search query (GDELT / Fact Check).

    Raises ``ValidationError`` with a message an editor can act on, and
    ``FeedAlreadyExists`` (a ValidationError carrying ``.feed``) for a feed we already poll.
    """
    _require_feed_manager(actor)
    errors: dict[str, str] = {}
    kind = (kind or "").strip().lower()
    query = (query or "").strip()
    url = (url or "").strip()
    if kind not in FeedKind.values:
        errors["kind"] = f"Unknown feed kind {kind!r}: use one of {', '.join(FeedKind.values)}."
    elif kind in QUERY_KINDS:
        if not query:
            errors["query"] = f"A {FeedKind(kind).label} needs a search query."
        if not url:
            url = settings.GDELT_API_URL if kind == FeedKind.GDELT else settings.FACTCHECK_API_URL
    try:
        interval = int(interval_minutes)
    except (TypeError, ValueError):
        interval = 0
    if interval < 1:
        errors["interval_minutes"] = "The polling interval must be at least 1 minute."
    if not url:
        errors["url"] = "Enter the feed's address (http:// or https://)."
    else:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = f"{url[:200]!r} is not a web address: it must start with http:// or https://."
    if errors:
        raise ValidationError(errors)
    url = normalise_url(url) if kind not in QUERY_KINDS else url
    existing = Feed.objects.filter(url=url, query=query).first()
    if existing is not None:
        raise FeedAlreadyExists(existing)
    outlet = None
    if outlet_name and outlet_name.strip():
        outlet = outlet_for_domain(registrable_domain(url), name=outlet_name)
    with transaction.atomic():
        feed, created = Feed.objects.get_or_create(
            url=url, query=query,
            defaults={"kind": kind, "outlet": outlet, "interval_minutes": interval,
                      "title": (title or "").strip()[:300]},
        )
    if not created:  # lost a race with an identical add
        raise FeedAlreadyExists(feed)
    logger.info("feed added: %s (%s)", feed, feed.pk)
    return feed


def feed_set_active(*, actor, feed_id: int, active: bool) -> Feed:
    """Pause or resume polling. Resuming makes the feed due at once."""
    _require_feed_manager(actor)
    with transaction.atomic():
        feed = Feed.objects.select_for_update().get(pk=feed_id)
        if feed.is_active == active:
            return feed
        feed.is_active = active
        fields = ["is_active"]
        if active:
            feed.next_poll_at = timezone.now()
            feed.parked_at = None
            fields += ["next_poll_at", "parked_at"]
        feed.save(update_fields=fields)
    return feed


def feed_request_poll(*, actor, feed_id: int) -> Feed:
    """"Poll now": make the feed due and enqueue its poll once the transaction commits."""
    _require_feed_manager(actor)
    with transaction.atomic():
        feed = Feed.objects.select_for_update().get(pk=feed_id)
        if not feed.is_active:
            raise ValidationError("This feed is paused: resume it to poll it.")
        feed.next_poll_at = timezone.now()
        feed.poll_queued_at = feed.next_poll_at
        feed.save(update_fields=["next_poll_at", "poll_queued_at"])
        feed_poll_later(feed_id=feed.pk)
    return feed


def feed_poll_later(*, feed_id: int) -> None:
    """Poll the feed once the transaction commits. Best effort: if the broker is down the
    feed is due anyway, and beat's ``feeds_poll_due`` queues it once the broker is back."""
    transaction.on_commit(lambda: _enqueue_poll(feed_id))


def _enqueue_poll(feed_id: int) -> None:
    from sources.tasks.feeds import feed_poll_task

    send_best_effort(feed_poll_task, args=[feed_id])


# --------------------------------------------------------------------------- scheduling


def _due(now) -> Q:
    return Q(is_active=True) & (Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))


def feeds_due(*, now=None) -> list[int]:
    """Ids of active feeds whose next poll time has come (or was never set)."""
    now = now or timezone.now()
    return list(
        Feed.objects.filter(_due(now)).order_by("next_poll_at", "pk").values_list("pk", flat=True)
    )


def feeds_claim_due(*, now=None) -> list[int]:
    """The due feeds to queue a poll for now, marked as queued.

    A feed already queued within the follow-up grace period is left out: while the
    workers are down (or busy), beat's minutely run queues each due feed once, not once a
    minute. A poll that started clears the mark; a lost message is queued again after the
    grace period.
    """
    now = now or timezone.now()
    fresh = Q(poll_queued_at__isnull=True) | Q(poll_queued_at__lt=now - followup_grace())
    with transaction.atomic():
        ids = list(
            Feed.objects.filter(_due(now)).filter(fresh)
            .order_by(F("next_poll_at").asc(nulls_first=True), "pk")
            .select_for_update(skip_locked=True).values_list("pk", flat=True)
        )
        Feed.objects.filter(pk__in=ids).update(poll_queued_at=now)
    return ids


def backoff_delay(*, interval_minutes: int, failures: int, rng: random.Random | None = None) -> timedelta:
    """Delay before the next poll after ``failures`` consecutive failures (0 = healthy).

    Healthy feeds wait their interval. Failing feeds wait interval x 2^(failures-1), capped
    at ``BACKOFF_MAX``, with +-10 % jitter so feeds that broke together don't retry together.
    """
    base = timedelta(minutes=max(1, interval_minutes))
    if failures <= 0:
        return base
    delay = min(base * (2 ** min(failures - 1, 20)), BACKOFF_MAX)
    factor = 1 + (rng or random).uniform(-BACKOFF_JITTER, BACKOFF_JITTER)
    return min(delay * factor, BACKOFF_MAX)


def feed_health(feed: Feed, *, now=None) -> dict:
    """How an editor should read the feed's state: healthy / failing / backing off / paused."""
    now = now or timezone.now()
    if feed.parked_at is not None:
        return {"state": "parked", "label": "Stopped: polling it kept crashing the worker",
                "since": feed.parked_at, "error": feed.last_error}
    if not feed.is_active:
        return {"state": "paused", "label": "Paused"}
    if feed.consecutive_failures:
        backing_off = feed.next_poll_at and feed.next_poll_at > now
        return {
            "state": "failing",
            "label": f"Failing ({feed.consecutive_failures} in a row)",
            "since": feed.last_error_at,
            "until": feed.next_poll_at if backing_off else None,
            "error": feed.last_error,
        }
    if feed.last_success_at is None:
        return {"state": "new", "label": "Not polled yet"}
    return {"state": "healthy", "label": "Healthy"}


# --------------------------------------------------------------------------- polling


def _poll_lock(feed_id: int):
    """Held for the whole poll; PostgreSQL frees it if the worker dies."""
    return try_advisory_lock(ADVISORY_NAMESPACE, feed_id)


def _start_poll(feed_id: int, *, only_if_due: bool) -> FeedPoll | None:
    now = timezone.now()
    with transaction.atomic():
        feed = Feed.objects.select_for_update().filter(pk=feed_id).first()
        if feed is None:
            return None
        if only_if_due and (not feed.is_active or (feed.next_poll_at and feed.next_poll_at > now)):
            return None
        # We hold the poll lock, so nobody is polling this feed: any "running" row is a
        # leftover of a worker that died. Close it so the history tells the truth.
        FeedPoll.objects.filter(feed=feed, status=FeedPollStatus.RUNNING).update(
            status=FeedPollStatus.FAILED, finished_at=now, error=ABANDONED_MESSAGE
        )
        if _killed_its_worker_too_often(feed):
            _park(feed, now)
            return None
        feed.poll_queued_at = None
        feed.save(update_fields=["poll_queued_at"])
        return FeedPoll.objects.create(feed=feed, status=FeedPollStatus.RUNNING, started_at=now)


def _killed_its_worker_too_often(feed: Feed) -> bool:
    """The feed's last polls all died with their worker (killed, out of memory, crashed)."""
    cap = max_attempts()
    latest = list(FeedPoll.objects.filter(feed=feed).order_by("-started_at", "-pk")
                  .values_list("error", flat=True)[:cap])
    return len(latest) >= cap and all(error == ABANDONED_MESSAGE for error in latest)


def _park(feed: Feed, now) -> None:
    """Stop polling a feed whose polls keep killing their worker, and say so on the feed."""
    feed.is_active = False
    feed.parked_at = now
    feed.poll_queued_at = None
    feed.last_error = PARKED_MESSAGE.format(n=max_attempts())
    feed.last_error_at = now
    feed.save(update_fields=["is_active", "parked_at", "poll_queued_at", "last_error", "last_error_at"])
    logger.error("feed %s parked: %s", feed.pk, feed.last_error)


def _run_connector(feed: Feed) -> ConnectorResult:
    config = FeedConfig(url=feed.url, etag=feed.etag or None, last_modified=feed.last_modified or None,
                        query=feed.query, name=str(feed))
    return get_connector(feed.kind).fetch(config)


def documents_fetch_text_later(*, document_ids: list[int]) -> None:
    """Fetch these new documents' full text once the transaction commits. Optional
    enrichment, best effort: a document whose fetch cannot be queued keeps its summary."""
    from sources.tasks.feeds import document_fetch_text_task

    ids = list(document_ids)

    def send() -> None:
        for pk in ids:
            if not send_best_effort(document_fetch_text_task, args=[pk]):
                break  # the broker is down: the rest would only wait for it too

    transaction.on_commit(send)


def feed_poll(*, feed_id: int, only_if_due: bool = False, send_matching: bool = True,
              raise_transient: bool = False) -> FeedPoll | None:
    """Poll one feed now; returns the finished ``FeedPoll``.

    Returns ``None`` without polling when another worker is polling this feed right now,
    when the feed is gone, or (``only_if_due``) when it is paused or not due yet.
    Never raises for a bad feed: the failure is recorded on the poll and the feed's health.
    With ``raise_transient`` a transient ``FeedError`` is re-raised *after* being recorded,
    so the task layer can retry it.
    """
    with _poll_lock(feed_id) as acquired:
        if not acquired:
            logger.info("feed %s is being polled by another worker; skipped", feed_id)
            return None
        poll = _start_poll(feed_id, only_if_due=only_if_due)
        if poll is None:
            return None
        feed = poll.feed
        try:
            result = _run_connector(feed)
        except FeedError as exc:
            _finish_failed(poll, str(exc))
            if raise_transient and exc.transient:
                raise
            return poll
        except Exception as exc:  # noqa: BLE001 - a bad feed must never crash the worker
            logger.exception("feed %s: unexpected error while polling", feed_id)
            _finish_failed(poll, f"Unexpected error while reading the feed: {exc.__class__.__name__}: {exc}")
            return poll
        _finish_succeeded(poll, result, send_matching=send_matching)
        return poll


def _finish_failed(poll: FeedPoll, message: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        feed = Feed.objects.select_for_update().get(pk=poll.feed_id)
        feed.consecutive_failures += 1
        feed.last_polled_at = now
        feed.last_error = message[:2000]
        feed.last_error_at = now
        feed.next_poll_at = now + backoff_delay(interval_minutes=feed.interval_minutes,
                                                failures=feed.consecutive_failures)
        feed.save(update_fields=["consecutive_failures", "last_polled_at", "last_error",
                                 "last_error_at", "next_poll_at"])
        poll.status = FeedPollStatus.FAILED
        poll.finished_at = now
        poll.error = message[:2000]
        poll.save(update_fields=["status", "finished_at", "error"])
    poll.feed = feed
    logger.warning("feed %s poll failed: %s", feed.pk, message)


def _finish_succeeded(poll: FeedPoll, result: ConnectorResult, *, send_matching: bool) -> None:
    now = timezone.now()
    with transaction.atomic():
        feed = Feed.objects.select_for_update().get(pk=poll.feed_id)
        problems = list(result.problems)
        new_ids: list[int] = []
        if result.not_modified:
            poll.status = FeedPollStatus.NOT_MODIFIED
        else:
            stored = documents_upsert(items=result.items, feed=feed, match_pending=True)
            problems += stored.problems
            if feed.kind in PRIOR_FACTCHECK_ORIGINS:  # each item is also another publisher's verdict
                recorded = prior_factchecks_from_items(result.items, origin=PRIOR_FACTCHECK_ORIGINS[feed.kind])
                problems += [f"prior fact-check {which}: {why}" for which, why in recorded.refused]
            new_ids = stored.new_ids
            poll.status = FeedPollStatus.SUCCEEDED
            poll.items_seen = stored.seen
            poll.items_new = len(new_ids)
        if len(problems) > MAX_PROBLEMS_KEPT:
            problems = problems[:MAX_PROBLEMS_KEPT] + [f"... and {len(problems) - MAX_PROBLEMS_KEPT} more"]
        poll.problems = problems
        poll.finished_at = now
        poll.save(update_fields=["status", "items_seen", "items_new", "problems", "finished_at"])

        feed.etag = (result.etag or "")[:500] if result.etag is not None else feed.etag
        feed.last_modified = (result.last_modified or "")[:100] if result.last_modified is not None \
            else feed.last_modified
        if result.feed_title and not feed.title:
            feed.title = result.feed_title[:300]
        feed.last_polled_at = now
        feed.last_success_at = now
        feed.consecutive_failures = 0
        feed.next_poll_at = now + backoff_delay(interval_minutes=feed.interval_minutes, failures=0)
        feed.save(update_fields=["etag", "last_modified", "title", "last_polled_at",
                                 "last_success_at", "consecutive_failures", "next_poll_at"])
        if new_ids and send_matching:
            # Recorded as "pending" with the documents: matching is never lost to a broker
            # outage (workbench.followup). poll_feeds --sync matches them in-process instead.
            followup_enqueue(DOCUMENT_MATCH, new_ids)
        if new_ids and getattr(settings, "FEED_FETCH_FULL_TEXT", False):
            documents_fetch_text_later(document_ids=new_ids)
    poll.feed = feed
    poll.new_document_ids = new_ids  # for callers that match in-process (poll_feeds --sync)

"""What ``sources`` tells the operations metrics (``workbench.metrics``): fetch errors by
reason, counted where they happen, and feed health, read at scrape time."""

from __future__ import annotations

from django.db.models import Count, Max, Q
from django.utils import timezone
from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily

from workbench.metrics import LIVE

FETCH_ERRORS = Counter("factdesk_fetch_errors", "Failed fetches by the safe fetcher, by reason.",
                       ["reason"], registry=LIVE)


def fetch_error_observed(reason: str) -> None:
    FETCH_ERRORS.labels(reason=reason or "other").inc()


def feed_health() -> list:
    from sources.models import Feed

    now = timezone.now()
    figures = Feed.objects.aggregate(
        active=Count("pk", filter=Q(is_active=True)),
        paused=Count("pk", filter=Q(is_active=False)),
        failing=Count("pk", filter=Q(is_active=True, consecutive_failures__gt=0)),
        parked=Count("pk", filter=Q(parked_at__isnull=False)),
        most_failures=Max("consecutive_failures", filter=Q(is_active=True)),
        oldest_success=Max("last_success_at", filter=Q(is_active=True)),
    )
    feeds = GaugeMetricFamily("factdesk_feeds", "Feeds by health.", labels=["state"])
    for state in ("active", "paused", "failing", "parked"):
        feeds.add_metric([state], figures[state])
    failures = GaugeMetricFamily("factdesk_feed_consecutive_failures_max",
                                 "The most consecutive failed polls of any active feed.")
    failures.add_metric([], figures["most_failures"] or 0)
    stale = GaugeMetricFamily("factdesk_feed_seconds_since_success_max",
                              "Seconds since the least recently successful active feed last succeeded.")
    least = (Feed.objects.filter(is_active=True, last_success_at__isnull=False)
             .order_by("last_success_at").values_list("last_success_at", flat=True).first())
    stale.add_metric([], (now - least).total_seconds() if least else 0)
    return [feeds, failures, stale]

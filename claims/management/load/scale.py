"""Scale-out, measured: the same feed-ingest work (poll fresh wires, store their documents,
match them against the open claims) done by one worker process, then by two on the same
Redis, with the check that two never did the same work twice (each feed polled once, each
document matched once)."""

from __future__ import annotations

import time

from claims.management.load.seed import Newsroom
from claims.management.load.stack import SourceSite, Stack


def _ingest(*, stack: Stack, site: SourceSite, workers: int, feeds: int, label: str,
            timeout: float = 300) -> str:
    from sources.feeds import feed_add, feed_request_poll
    from sources.models import Document, FeedPoll
    from workbench.celery import app

    stack.workers_stop()
    for number in range(1, workers + 1):
        stack.start_worker(number)
    added = [feed_add(url=f"{site.base}/feeds/{label}{n}.xml", kind="rss", outlet_name=f"Wire {label}{n}",
                      interval_minutes=24 * 60).pk for n in range(feeds)]
    app.conf.task_default_queue = stack.queue  # this process's sends reach the stack's workers
    started = time.monotonic()
    for feed_id in added:
        feed_request_poll(actor=None, feed_id=feed_id)
    while time.monotonic() - started < timeout:
        polled = FeedPoll.objects.filter(feed_id__in=added, finished_at__isnull=False).count()
        waiting = Document.objects.filter(feed_id__in=added, match_state="pending").count()
        if polled >= len(added) and not waiting:
            break
        time.sleep(0.5)
    seconds = time.monotonic() - started
    documents = Document.objects.filter(feed_id__in=added).count()
    polls = FeedPoll.objects.filter(feed_id__in=added).count()
    unmatched = Document.objects.filter(feed_id__in=added, match_state="pending").count()
    return (f"{workers} worker{'s' if workers > 1 else ' '}  {len(added)} feeds, {documents} documents in "
            f"{seconds:5.1f} s: {documents / seconds:6.1f} documents/s; polls {polls} "
            f"(double work: {polls - len(added)}), unmatched {unmatched}")


def scale_out_measure(*, stack: Stack, room: Newsroom, site: SourceSite, feeds: int = 12) -> list[str]:
    """Feed ingest throughput with one worker, then with two (fresh wires each time)."""
    site.new_items_per_poll = 20
    lines = ["Scale-out: feed ingest (poll, store, match) on one Redis"]
    for workers in (1, 2):
        lines.append("  " + _ingest(stack=stack, site=site, workers=workers, feeds=feeds, label=f"w{workers}-"))
    return lines

"""``load_bench``'s figures: requests per kind, and the background work the requests caused,
read back from the database (when each piece of work was queued and when it was done)."""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from claims.management.load.workload import Recorder
from claims.management.page_timing import percentile


def request_table(recorder: Recorder, seconds: float) -> list[str]:
    """One line per kind of request: count, rate, p50/p95/p99 and errors; then all of them."""
    by_kind: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for sample in recorder.samples:
        by_kind[sample.kind].append(sample.ms)
        errors[sample.kind] += not sample.ok
    lines = [f"{'request':26} {'count':>6} {'rps':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"]
    everything = sorted(s.ms for s in recorder.samples)
    for kind in sorted(by_kind):
        times = sorted(by_kind[kind])
        lines.append(f"{kind:26} {len(times):6d} {len(times) / seconds:6.2f} {statistics.median(times):8.1f} "
                     f"{percentile(times, 0.95):8.1f} {percentile(times, 0.99):8.1f} {errors[kind]:6d}")
    if everything:
        lines.append(f"{'all requests':26} {len(everything):6d} {len(everything) / seconds:6.2f} "
                     f"{statistics.median(everything):8.1f} {percentile(everything, 0.95):8.1f} "
                     f"{percentile(everything, 0.99):8.1f} {sum(errors.values()):6d}")
    first_problem: dict[str, str] = {}
    for sample in recorder.samples:
        if sample.problem:
            first_problem.setdefault(sample.kind, sample.problem)
    lines += [f"  {kind}: first error {problem}" for kind, problem in sorted(first_problem.items())]
    return lines


@dataclass
class Background:
    """The work the requests queued: how long each took from queued to done, what is unfinished."""

    latencies: dict[str, list[float]] = field(default_factory=dict)  # seconds
    done: dict[str, int] = field(default_factory=dict)  # where no latency is recorded
    unfinished: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)

    @property
    def pending(self) -> int:
        return sum(self.unfinished.values())


def _epoch(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def background_read(recorder: Recorder, *, since: datetime) -> Background:
    from sources.models import Document, FeedPoll, Snapshot, Source

    found = Background()
    # Archives: from the attach (the source row is made then) to its first snapshot.
    # Sources store the normalised link: find them by the slug each attached link carries.
    slugs = [url.rsplit("/", 1)[-1] for url in recorder.attaches]
    sources = {s.url.rstrip("/").rsplit("/", 1)[-1]: s
               for s in Source.objects.filter(url__contains="/articles/attach-")}
    first_snapshot = {}
    for source_id, fetched_at in (Snapshot.objects.filter(source__url__contains="/articles/attach-")
                                  .order_by("fetched_at").values_list("source_id", "fetched_at")):
        first_snapshot.setdefault(source_id, fetched_at)
    archive, unfinished, failed = [], 0, 0
    for slug in slugs:
        source = sources.get(slug)
        if source is None or source.fetch_status == "pending":
            unfinished += 1
        elif source.pk in first_snapshot:
            archive.append(first_snapshot[source.pk].timestamp() - source.created_at.timestamp())
        else:
            failed += 1
    found.latencies["archive a source"], found.unfinished["archive a source"] = archive, unfinished
    found.failed["archive a source"] = failed

    # Polls: from "poll now" to the end of the first poll of that feed that started after it.
    finished_polls = defaultdict(list)
    for feed_id, started, finished in FeedPoll.objects.filter(started_at__gte=since).values_list(
            "feed_id", "started_at", "finished_at"):
        finished_polls[feed_id].append((started.timestamp(), _epoch(finished)))
    polls, unfinished = [], 0
    for pressed, feed_id in recorder.polls:
        after = [finished for started, finished in finished_polls[feed_id] if started >= pressed and finished]
        if after:
            polls.append(min(after) - pressed)
        else:
            unfinished += 1
    found.latencies["poll a feed"], found.unfinished["poll a feed"] = polls, unfinished
    found.failed["poll a feed"] = FeedPoll.objects.filter(started_at__gte=since, status="failed").count()

    # Matching new coverage: the documents the polls brought in (no per-document finish time
    # is stored, so only how many are matched and how many still wait).
    documents = Document.objects.filter(created_at__gte=since)
    found.latencies["match new documents"] = []
    found.unfinished["match new documents"] = documents.filter(match_state="pending").count()
    found.done["match new documents"] = documents.exclude(match_state="pending").count()
    return found


def background_wait(recorder: Recorder, *, since: datetime, timeout: float) -> tuple[Background, float]:
    """Read the background work until nothing is unfinished or ``timeout`` s have passed."""
    started = time.monotonic()
    while True:
        found = background_read(recorder, since=since)
        if not found.pending or time.monotonic() - started > timeout:
            return found, time.monotonic() - started
        time.sleep(1)


def background_table(found: Background) -> list[str]:
    lines = [f"{'background work':26} {'done':>6} {'p50 s':>8} {'p95 s':>8} {'max s':>8} {'unfinished':>10} {'failed':>6}"]
    for kind, seconds in found.latencies.items():
        times = sorted(seconds)
        figures = (f"{statistics.median(times):8.2f} {percentile(times, 0.95):8.2f} {times[-1]:8.2f}"
                   if times else f"{'-':>8} {'-':>8} {'-':>8}")
        lines.append(f"{kind:26} {found.done.get(kind, len(times)):6d} {figures} {found.unfinished.get(kind, 0):10d} "
                     f"{found.failed.get(kind, 0):6d}")
    return lines


def now() -> datetime:
    return datetime.now(UTC)

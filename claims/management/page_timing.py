"""Server times of desk pages, for the benchmark commands: p50 and p95 in milliseconds.

With ``profile=True`` each page also gets a line saying where its time goes, medians per
request: how many SQL statements and how long they took, template rendering (without the SQL
that templates trigger, which counts as SQL) and the rest (Python: middleware, views, forms),
then the statements that cost most in total."""

from __future__ import annotations

import re
import statistics
import time
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from django.db import connection
from django.template.backends.django import Template as BackendTemplate
from django.test import Client, override_settings

# Production-like settings for a Django test client outside the test runner.
_BENCH_SETTINGS = {
    "ALLOWED_HOSTS": ["testserver"],
    "DEBUG": False,
    "STORAGES": {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                 "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
}


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The nearest-rank percentile of an already sorted list."""
    return sorted_values[min(len(sorted_values) - 1, int(round(fraction * (len(sorted_values) - 1))))]


@dataclass
class RequestProfile:
    """What one request spent, in seconds."""

    sql_count: int = 0
    sql_seconds: float = 0.0
    template_seconds: float = 0.0  # outermost renders, SQL inside them included
    template_sql_seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process's CPU time: the web side, without PostgreSQL's
    statements: dict[str, float] = field(default_factory=lambda: defaultdict(float))


class _Recorder:
    """Counts SQL through a connection execute wrapper and times template rendering by
    wrapping the template backend's ``render`` (the outermost render of a response)."""

    def __init__(self):
        self.current: RequestProfile | None = None
        self._depth = 0

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            if self.current is not None:
                self.current.sql_count += 1
                self.current.sql_seconds += spent
                if self._depth:
                    self.current.template_sql_seconds += spent
                self.current.statements[_statement_shape(sql)] += spent

    @contextmanager
    def installed(self):
        original = BackendTemplate.render
        recorder = self

        def render(template, context=None, request=None):
            recorder._depth += 1
            started = time.perf_counter()
            try:
                return original(template, context, request)
            finally:
                recorder._depth -= 1
                if recorder._depth == 0 and recorder.current is not None:
                    recorder.current.template_seconds += time.perf_counter() - started

        BackendTemplate.render = render  # type: ignore[method-assign]
        try:
            with connection.execute_wrapper(self.execute):
                yield self
        finally:
            BackendTemplate.render = original  # type: ignore[method-assign]


def _statement_shape(sql: str) -> str:
    """A statement without its literals, shortened, so repeats of one query add up."""
    shape = re.sub(r"\s+", " ", re.sub(r"'[^']*'|\b\d+\b", "?", sql)).strip()
    return shape[:110] + ("…" if len(shape) > 110 else "")


def _profile_lines(label: str, totals: list[float], profiles: list[RequestProfile]) -> list[str]:
    ms = 1000.0
    sql_ms = [p.sql_seconds * ms for p in profiles]
    template_ms = [(p.template_seconds - p.template_sql_seconds) * ms for p in profiles]
    python_ms = [t - s - tm for t, s, tm in zip(totals, sql_ms, template_ms, strict=True)]
    lines = [
        f"  {label}: {statistics.median(p.sql_count for p in profiles):.0f} SQL statements "
        f"{statistics.median(sql_ms):.1f} ms · templates {statistics.median(template_ms):.1f} ms · "
        f"Python {statistics.median(python_ms):.1f} ms (of {statistics.median(totals):.1f} ms)",
        # CPU time depends far less on what else the machine runs than wall time does.
        f"      CPU of this process {statistics.median(p.cpu_seconds * ms for p in profiles):.1f} ms "
        "(a loaded machine stretches the wall times above, much less this)",
    ]
    by_statement: dict[str, float] = defaultdict(float)
    for profile in profiles:
        for shape, seconds in profile.statements.items():
            by_statement[shape] += seconds
    for shape, seconds in sorted(by_statement.items(), key=lambda kv: -kv[1])[:3]:
        lines.append(f"      {seconds * ms / len(profiles):7.2f} ms  {shape}")
    return lines


def pages_time(stdout, user, pages: list[tuple[str, list[str]]], runs: int, *, profile: bool = False) -> None:
    """Request each page ``runs`` times as ``user`` and write its p50 and p95 to ``stdout``.

    A page is a label and one or more URLs: the first two warm caches and connections, then
    the runs cycle through them (several URLs: a different request each run). With
    ``profile``, a breakdown per page follows the table (see the module docstring); the
    recording itself adds a few microseconds per statement."""
    recorder = _Recorder()
    breakdown: list[str] = []
    with override_settings(**_BENCH_SETTINGS), recorder.installed() if profile else nullcontext():
        client = Client()
        client.force_login(user)
        stdout.write(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8}")
        for label, urls in pages:
            for url in urls[:2]:
                assert client.get(url).status_code == 200, url
            times, profiles = [], []
            for run in range(runs):
                url = urls[(run + 2) % len(urls)]
                recorder.current = RequestProfile() if profile else None
                start, cpu_start = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                if recorder.current is not None:
                    recorder.current.cpu_seconds = time.process_time() - cpu_start
                    profiles.append(recorder.current)
                recorder.current = None
                assert response.status_code == 200
            if profile:
                breakdown += _profile_lines(label, times, profiles)
            stdout.write(f"{label:32} {statistics.median(times):8.1f} {percentile(sorted(times), 0.95):8.1f}")
    if breakdown:
        stdout.write("Where the time goes (medians per request):")
        for line in breakdown:
            stdout.write(line)

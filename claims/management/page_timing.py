"""Server times of desk pages, for the benchmark commands: p50 and p95 in milliseconds."""

from __future__ import annotations

import statistics
import time

from django.test import Client, override_settings

# Production-like settings for a Django test client outside the test runner.
_BENCH_SETTINGS = {
    "ALLOWED_HOSTS": ["testserver"],
    "DEBUG": False,
    "STORAGES": {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                 "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
}


def pages_time(stdout, user, pages: list[tuple[str, list[str]]], runs: int) -> None:
    """Request each page ``runs`` times as ``user`` and write its p50 and p95 to ``stdout``.

    A page is a label and one or more URLs: the first two warm caches and connections, then
    the runs cycle through them (several URLs: a different request each run)."""
    with override_settings(**_BENCH_SETTINGS):
        client = Client()
        client.force_login(user)
        stdout.write(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8}")
        for label, urls in pages:
            for url in urls[:2]:
                assert client.get(url).status_code == 200, url
            times = []
            for run in range(runs):
                url = urls[(run + 2) % len(urls)]
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            times.sort()
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            stdout.write(f"{label:32} {statistics.median(times):8.1f} {p95:8.1f}")

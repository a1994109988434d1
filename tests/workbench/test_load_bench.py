"""``load_bench`` at a tiny size: it starts gunicorn and two Celery workers on a Redis of its
own, drives every kind of user for a few seconds and prints its figures, with nothing lost
and nothing left behind (its throwaway database is dropped)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.db import connection

from tests.conftest import database_url_for_subprocess
from tests.support.outages import ROOT, SpareRedis

pytestmark = [pytest.mark.worker, pytest.mark.django_db]


def test_load_bench_prints_its_figures_and_loses_no_task(tmp_path):
    redis_server = SpareRedis(tmp_path).start()
    env = {**os.environ, "DATABASE_URL": database_url_for_subprocess(),
           "CELERY_BROKER_URL": redis_server.url, "DJANGO_SECRET_KEY": "tests-only-not-a-secret"}
    try:
        run = subprocess.run(
            [sys.executable, "manage.py", "load_bench", "--users", "6", "--seconds", "8", "--think", "0.5",
             "--claims", "60", "--feeds", "2", "--drain", "120", "--logs", str(tmp_path / "logs")],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )
    finally:
        redis_server.stop()
    out = run.stdout
    assert run.returncode == 0, out + run.stderr[-3000:]
    assert re.search(r"request\s+count\s+rps\s+p50 ms\s+p95 ms\s+p99 ms\s+errors", out), out
    rows = {kind: errors for kind, _count, errors in re.findall(
        r"^(\S.*?)\s+(\d+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+(\d+)$", out, flags=re.M)}
    for kind in ("queue", "claim page", "attach a source", "log a claim", "poll a feed now",
                 "reviews", "approve a verdict", "public list", "all requests"):
        assert kind in rows, out
    assert rows["all requests"] == "0", out  # no errors
    background = re.search(r"^archive a source\s+(\d+)\s+([\d.]+)", out, flags=re.M)
    assert background and int(background.group(1)) > 0, out  # queued to done, timed
    assert re.search(r"^poll a feed\s+[1-9]\d*\s+[\d.]+", out, flags=re.M), out
    assert "Lost tasks: 0 " in out, out
    assert re.search(r"Peak RSS web: [1-9]\d* MB in one process", out), out
    assert re.search(r"Peak RSS worker: [1-9]\d* MB in one process", out), out
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE 'load_bench_%%'")
        assert cursor.fetchone()[0] == 0

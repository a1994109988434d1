"""``/healthz``: is the database reachable, is the broker reachable?

It answers within a second whatever is down: both checks run at once, each with a short
timeout, and a check still waiting when the budget is spent counts as "unreachable". The
broker check reuses one small Redis connection pool per process (no new broker connection
per request).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

BUDGET_SECONDS = 0.8  # for both checks together
REDIS_TIMEOUT_SECONDS = 0.5


def database_is_reachable() -> tuple[bool, str]:
    # Runs in its own thread, so it uses (and closes) a connection of its own.
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not reachable"; the reason is reported
        logger.warning("health: database unreachable: %s", exc)
        return False, type(exc).__name__
    finally:
        connection.close()
    return True, "ok"


@lru_cache(maxsize=4)
def _redis_client(url: str):
    import redis

    return redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS,
        retry_on_timeout=False, max_connections=4,
    )


def broker_is_reachable() -> tuple[bool, str]:
    from workbench.celery import app

    url = app.conf.broker_write_url or app.conf.broker_url or settings.CELERY_BROKER_URL
    try:
        if url.startswith(("redis://", "rediss://", "unix://")):
            _redis_client(url).ping()
        elif url.startswith("filesystem://"):
            folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
            with open(f"{folder}/.healthz", "w") as probe:  # the folder exists and is writable
                probe.write("ok")
        else:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=0, timeout=REDIS_TIMEOUT_SECONDS)
    except Exception as exc:
        logger.warning("health: broker unreachable: %s", exc)
        return False, type(exc).__name__
    return True, "ok"


def _run_all(checks: dict[str, Callable[[], tuple[bool, str]]]) -> dict[str, tuple[bool, str]]:
    results: dict[str, tuple[bool, str]] = {}

    def run(name: str, check) -> None:
        results[name] = check()

    threads = [threading.Thread(target=run, args=item, daemon=True, name=f"healthz-{item[0]}")
               for item in checks.items()]
    ends = time.monotonic() + BUDGET_SECONDS
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.0, ends - time.monotonic()))
    return {name: results.get(name, (False, "timeout")) for name in checks}


@login_not_required
@require_GET
def healthz(request):
    results = _run_all({"database": database_is_reachable, "broker": broker_is_reachable})
    ok = all(good for good, _ in results.values())
    body = {"status": "ok" if ok else "unavailable"}
    body.update({name: {"ok": good, "detail": detail} for name, (good, detail) in results.items()})
    return JsonResponse(body, status=200 if ok else 503)

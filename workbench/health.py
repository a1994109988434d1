"""``/healthz``: is the database reachable, is the broker reachable?

It answers within a second when either is down: the database check reuses the request's
pooled connection (checked before reuse, CONN_HEALTH_CHECKS) and a refused connection fails
at once; the broker check reuses one small Redis connection pool per process (no new
broker connection per request) with half-second timeouts.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

REDIS_TIMEOUT_SECONDS = 0.5


def database_is_reachable() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not reachable"; the reason is reported
        logger.warning("health: database unreachable: %s", exc)
        connection.close()  # the next request starts from a fresh connection
        return False, type(exc).__name__
    return True, "ok"


@lru_cache(maxsize=4)
def _redis_client(url: str):
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0), max_connections=4,  # one try: a health check must not wait
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


@login_not_required
@require_GET
def healthz(request):
    results = {"database": database_is_reachable(), "broker": broker_is_reachable()}
    ok = all(good for good, _ in results.values())
    body = {"status": "ok" if ok else "unavailable"}
    body.update({name: {"ok": good, "detail": detail} for name, (good, detail) in results.items()})
    return JsonResponse(body, status=200 if ok else 503)

"""``/healthz``: is the database reachable, is the broker reachable?"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def database_is_reachable() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not reachable"; the reason is reported
        logger.warning("health: database unreachable: %s", exc)
        return False, type(exc).__name__
    return True, "ok"


def broker_is_reachable() -> tuple[bool, str]:
    from workbench.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            # Some transports (Redis) connect lazily: make a real round trip.
            client = getattr(conn.default_channel, "client", None)
            if client is not None and hasattr(client, "ping"):
                client.ping()
    except Exception as exc:
        logger.warning("health: broker unreachable: %s", exc)
        return False, type(exc).__name__
    return True, "ok"


@login_not_required
@require_GET
def healthz(request):
    db_ok, db_detail = database_is_reachable()
    broker_ok, broker_detail = broker_is_reachable()
    body = {
        "status": "ok" if db_ok and broker_ok else "unavailable",
        "database": {"ok": db_ok, "detail": db_detail},
        "broker": {"ok": broker_ok, "detail": broker_detail},
    }
    return JsonResponse(body, status=200 if db_ok and broker_ok else 503)

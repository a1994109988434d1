"""The one policy every Celery task follows (the app's ``task_cls``).

* Late acknowledgement, and a message whose worker died is given back to the broker
  (``acks_late``, ``reject_on_worker_lost``). Work that must not repeat guards itself in
  the database (see ``workbench.followup``), which also bounds how often a task that kills
  its worker is tried.
* A database connection that drops (a PostgreSQL restart or failover, a network blip) is
  transient: the connection is discarded and the task retried with exponential backoff
  and jitter, at most ``DB_RETRIES`` times, instead of failing and being acknowledged.
"""

from __future__ import annotations

import logging
import random

from celery import Task
from django.db import InterfaceError, OperationalError, close_old_connections, connections

logger = logging.getLogger(__name__)

DB_RETRIES = 6
DB_BACKOFF_BASE = 2.0  # seconds: 2, 4, 8, ... capped
DB_BACKOFF_CAP = 120.0
DATABASE_CONNECTION_ERRORS = (OperationalError, InterfaceError)


def backoff(retries: int, *, base: float, cap: float, jitter: float = 0.25) -> float:
    """base, 2*base, 4*base... capped, then spread by +-jitter (a fraction)."""
    delay = min(base * (2 ** max(retries, 0)), cap)
    return delay * random.uniform(1 - jitter, 1 + jitter)


def _discard_broken_connections() -> None:
    for conn in connections.all(initialized_only=True):
        if conn.connection is not None and not conn.is_usable():
            conn.close()
    close_old_connections()


class WorkbenchTask(Task):
    acks_late = True
    reject_on_worker_lost = True

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        except DATABASE_CONNECTION_ERRORS as exc:
            if self.request.called_directly or self.request.is_eager:
                raise
            _discard_broken_connections()
            retries = self.request.retries
            if retries >= DB_RETRIES:
                raise
            countdown = backoff(retries, base=DB_BACKOFF_BASE, cap=DB_BACKOFF_CAP)
            logger.warning("%s: database unavailable (%s); retrying in %.1f s",
                           self.name, exc, countdown)
            raise self.retry(exc=exc, countdown=countdown, max_retries=DB_RETRIES) from exc

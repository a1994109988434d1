"""The one policy every Celery task follows (the app's ``task_cls``).

* Late acknowledgement, and a message whose worker died is given back to the broker
  (``acks_late``, ``reject_on_worker_lost``). Work that must not repeat guards itself in
  the database (see ``workbench.followup``), which also bounds how often a task that kills
  its worker is tried.
* A database connection that drops (a PostgreSQL restart or failover, a network blip) is
  transient: the connection is discarded and the task retried with exponential backoff
  and jitter, at most ``DB_RETRIES`` times, instead of failing and being acknowledged.
* One retry formula for every task (``backoff``): base, 2*base, 4*base... capped, spread by
  +-``RETRY_JITTER``; each task names only its base and cap, and retries only named,
  transient errors.
* Defaults are said once: ``acks_late``, ``reject_on_worker_lost`` here, results ignored
  and the time limits in settings (``CELERY_TASK_*``). A task states a limit only when it
  differs.
* Work is enqueued after the transaction that caused it commits: durable work through
  ``workbench.followup.followup_enqueue``, best-effort messages through ``send_on_commit``
  (each app wraps them in ``*_later`` helpers). A message published while a transaction
  is open is logged as a warning (``before_task_publish`` below): its worker may not see
  the rows yet, or see rows that are then rolled back.
"""

from __future__ import annotations

import logging
import random

from celery import Task
from celery.signals import before_task_publish
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)

logger = logging.getLogger(__name__)

DB_RETRIES = 6
DB_BACKOFF_BASE = 2.0  # seconds: 2, 4, 8, ... capped
DB_BACKOFF_CAP = 120.0
DATABASE_CONNECTION_ERRORS = (OperationalError, InterfaceError)


RETRY_JITTER = 0.25


def backoff(retries: int, *, base: float, cap: float) -> float:
    """The one retry formula: base, 2*base, 4*base... capped, then spread by +-RETRY_JITTER
    so that retries of many tasks that failed together do not stampede."""
    delay = min(base * (2 ** max(retries, 0)), cap)
    return delay * random.uniform(1 - RETRY_JITTER, 1 + RETRY_JITTER)


# --------------------------------------------------------------------------- enqueueing


def open_transaction(using: str = "default") -> bool:
    """True inside a ``transaction.atomic`` block of our own code (a test's wrapping
    transaction does not count: Django marks it as the test case's)."""
    connection = connections[using]
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


@before_task_publish.connect(dispatch_uid="workbench.task_policy.warn_in_transaction")
def warn_when_published_in_a_transaction(sender=None, **kwargs) -> None:
    if open_transaction():
        logger.warning(
            "task %s was enqueued inside an open transaction: enqueue it on commit "
            "(followup_enqueue, or a *_later helper built on send_on_commit)", sender
        )


def send_best_effort(task, *, args=(), kwargs=None, **options) -> bool:
    """Publish now; when the broker cannot take the message, log it and return False instead
    of failing the request. For work that is safe to lose (it is asked for again, or done
    again by beat); durable work goes through ``followup_enqueue``."""
    try:
        task.apply_async(args=list(args), kwargs=kwargs or {}, **options)
    except Exception as exc:  # noqa: BLE001 - any broker failure: say so in the log, not a 500
        logger.warning("could not queue %s%r: %s: %s", task.name, tuple(args), type(exc).__name__, exc)
        return False
    return True


def send_on_commit(task, *, args=(), kwargs=None, **options) -> None:
    """``send_best_effort`` once the current transaction commits (now, outside one)."""
    args, kwargs = list(args), dict(kwargs or {})
    transaction.on_commit(lambda: send_best_effort(task, args=args, kwargs=kwargs, **options))


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

"""Shared helpers for work that several Celery workers may attempt at once."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def try_advisory_lock(namespace: int, key: int) -> Iterator[bool]:
    """A session-level PostgreSQL advisory lock on (namespace, key), without waiting.

    Yields True if this session holds it, False if another one does. Session-level (not
    transaction-level) because it is held across network fetches, which never run inside a
    transaction; a crashed worker's session ends and PostgreSQL frees its locks.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [namespace, key])
        acquired = bool(cursor.fetchone()[0])
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [namespace, key])


def exponential_backoff(retries: int, *, base: float, cap: float, jitter: float) -> float:
    """base, 2*base, 4*base... capped, then spread by ±jitter (a fraction) so that retries
    from many workers do not stampede the same server at the same moment."""
    delay = min(base * (2**retries), cap)
    return delay * random.uniform(1 - jitter, 1 + jitter)

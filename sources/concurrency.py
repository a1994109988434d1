"""Shared helpers for work that several Celery workers may attempt at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import InterfaceError, OperationalError, connection


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
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [namespace, key])
            except (OperationalError, InterfaceError):
                # The session is gone (a database restart): its locks went with it. Raising
                # here would hide the error that interrupted the work.
                connection.close()

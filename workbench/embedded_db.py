"""The laptop default: a PostgreSQL server run by the ``pgserver`` package.

Used only when ``DATABASE_URL`` is unset, so that ``make run``, ``make test`` and
``manage.py`` work on a machine with nothing installed. The server listens on a
Unix socket inside ``var/`` and is shared by every process that asks for it; it
stops when the last of them exits.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

_server = None


def embedded_database_settings(data_dir: Path) -> dict:
    """Start (or join) the embedded server and return a Django DATABASES entry."""
    global _server
    # pgserver needs the parent of its data folder to exist, and keeps its lock file in
    # the runtime folder: give every process of this checkout the same one.
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime_dir = data_dir.parent / "run"
        runtime_dir.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)
    import pgserver  # imported lazily: production never needs it

    if _server is None:
        _server = pgserver.get_server(data_dir, cleanup_mode="stop")
    info = _server.get_postmaster_info()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "postgres",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir) if info.socket_dir else (info.hostname or "127.0.0.1"),
        "PORT": "" if info.socket_dir else str(info.port or ""),
    }


def _prune_dead_handles(server) -> None:
    """Forget processes that died without running their exit hooks (SIGTERM, SIGKILL),
    so that they do not keep the shared server alive forever."""
    import psutil

    handles = server.global_process_id_list
    for pid in handles.get():
        if pid != os.getpid() and not psutil.pid_exists(pid):
            handles.get_and_remove(pid)


def embedded_server_release() -> None:
    """Release this process's handle; the server stops if no live process still uses it.

    ``make run`` calls this after stopping its children, so Ctrl-C leaves no PostgreSQL
    behind (children stopped by a signal never run pgserver's exit hook themselves).
    """
    if _server is None:
        return
    with _server._lock:
        _prune_dead_handles(_server)
    _server.cleanup()

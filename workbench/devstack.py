"""``make run``: migrate, seed the demo newsroom, then run web, worker, embedder and beat.

This process holds the embedded database open (when DATABASE_URL is unset) and supervises
its children. Ctrl-C (or SIGTERM) stops every process it started: each child runs in its
own process group, is sent SIGTERM, and is killed if it has not exited within a few seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

HOST = os.environ.get("WORKBENCH_HOST", "127.0.0.1")
PORT = os.environ.get("WORKBENCH_PORT", "8000")


def _children_commands(python: str) -> dict[str, list[str]]:
    from django.conf import settings

    return {
        "web": [python, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"],
        "worker": [
            python, "-m", "celery", "-A", "workbench", "worker", "--hostname", "worker@%h",
            "--queues", settings.CELERY_TASK_DEFAULT_QUEUE,
            "--loglevel", "INFO", "--concurrency", os.environ.get("WORKER_CONCURRENCY", "2"),
        ],
        # Embeddings are CPU-bound: one process of their own, so polls never wait behind them.
        "embedder": [
            python, "-m", "celery", "-A", "workbench", "worker", "--hostname", "embedder@%h",
            "--queues", settings.CELERY_EMBEDDING_QUEUE,
            "--loglevel", "INFO", "--concurrency", os.environ.get("EMBEDDING_CONCURRENCY", "1"),
        ],
        "beat": [
            python, "-m", "celery", "-A", "workbench", "beat", "--loglevel", "INFO",
            "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME,
        ],
    }


def _stop(children: dict[str, subprocess.Popen], grace: float = 8.0) -> None:
    # SIGTERM to each child's main process lets Celery shut its pool down warmly;
    # whatever is left of a process group after the grace period is killed.
    for proc in children.values():
        if proc.poll() is None:
            try:
                os.kill(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + grace
    for proc in children.values():
        remaining = max(0.1, deadline - time.monotonic())
        try:
            proc.wait(timeout=remaining)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # stragglers in the group, if any
        except ProcessLookupError:
            pass
        proc.wait()


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    import django

    django.setup()  # starts or joins the embedded PostgreSQL when DATABASE_URL is unset
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1)
    call_command("seed_demo", history=True)  # past weeks of desk work: the dashboard has shape

    python = sys.executable
    children: dict[str, subprocess.Popen] = {}
    stopping = False

    def request_stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        for name, command in _children_commands(python).items():
            children[name] = subprocess.Popen(command, cwd=settings.BASE_DIR, start_new_session=True)
        print(
            f"\n  FactDesk is running at http://{HOST}:{PORT}/\n"
            f"  Public fact-checks: http://{HOST}:{PORT}/fact-checks/\n"
            "  Logins are printed above (Demo logins: ...). Press Ctrl-C to stop everything.\n",
            flush=True,
        )
        while not stopping:
            for name, proc in children.items():
                if proc.poll() is not None:
                    print(f"{name} exited with status {proc.returncode}; stopping.", flush=True)
                    stopping = True
                    break
            time.sleep(0.5)
    finally:
        _stop(children)
        from workbench.embedded_db import embedded_server_release

        embedded_server_release()
        print("Stopped web, worker and beat (and the embedded database, if it was ours).", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A load test of the whole stack in its production shape, on this machine, on 127.0.0.1 only.

    python manage.py load_bench                          # 20 users for 60 s
    python manage.py load_bench --users 40 --seconds 120 --claims 20000
    python manage.py load_bench --scale-out              # then feed ingest with 1 and 2 workers

It makes a throwaway database on the configured PostgreSQL server (migrated, then seeded: a
queue of claims, verdicts awaiting review, published fact-checks, wires on a local site),
starts gunicorn (2 workers) and 2 Celery worker processes on a private queue of the configured
Redis broker, and runs simulated editors, reviewers, readers and a feed desk against it
(``claims.management.load.workload``). It prints requests per second and p50/p95/p99 per kind
of request with errors, how long the background work took from queued to done and what never
finished (lost tasks), and the peak resident memory of the web and worker processes. The
database is dropped and every process stopped at the end.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.management.load import figures
from claims.management.load.scale import scale_out_measure
from claims.management.load.seed import newsroom_seed
from claims.management.load.stack import MemorySampler, SourceSite, Stack, ThrowawayDatabase
from claims.management.load.workload import roles_for, users_run, warm_up


class Command(BaseCommand):
    help = "Start the production shape locally, drive a mixed workload and print its figures."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=20)
        parser.add_argument("--seconds", type=float, default=60.0, help="How long the users work")
        parser.add_argument("--think", type=float, default=3.0,
                            help="Mean pause between one user's steps, in seconds (each pause is "
                                 "0.5 to 1.5 times it)")
        parser.add_argument("--claims", type=int, default=5000, help="Claims in the queue")
        parser.add_argument("--feeds", type=int, default=4)
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument("--celery-workers", type=int, default=2)
        parser.add_argument("--drain", type=float, default=120.0,
                            help="Seconds to wait for queued work to finish after the users stop")
        parser.add_argument("--scale-out", action="store_true",
                            help="Then measure feed ingest throughput with one and with two workers")
        parser.add_argument("--logs", help="Folder for the processes' logs (default: a temporary one)")

    def handle(self, *args, **options):
        if options["users"] < 3:
            raise CommandError("--users must be at least 3 (an editor, a reviewer and the feed desk).")
        if not settings.CELERY_BROKER_URL.startswith("redis://"):
            raise CommandError("load_bench runs Celery on Redis: set CELERY_BROKER_URL=redis://…")
        log_dir = Path(options["logs"] or tempfile.mkdtemp(prefix="load-bench-"))
        log_dir.mkdir(parents=True, exist_ok=True)
        write = self.stdout.write
        site = SourceSite().start()
        settings.FETCH_ALLOW_LOOPBACK = str(site.port)  # the wires are checked when added
        started = time.perf_counter()
        database = ThrowawayDatabase().create()
        stack = None
        try:
            mix = roles_for(options["users"])
            approvals = max(5, int(options["seconds"] / (4 * options["think"])) * mix["reviewers"])
            room = newsroom_seed(claims=options["claims"], editors=mix["editors"], reviewers=mix["reviewers"],
                                 pending_verdicts=approvals, published=10, feeds=options["feeds"],
                                 site_base=site.base)
            write(f"Prepared {database.name} ({options['claims']} claims, {approvals} verdicts to review, "
                  f"{options['feeds']} feeds) in {time.perf_counter() - started:.0f} s")
            stack = Stack(database_url=database.url, site=site, log_dir=log_dir,
                          web_workers=options["web_workers"], celery_workers=options["celery_workers"]).start()
            warm_up(base=stack.base, room=room)
            sampler = MemorySampler(stack.children).start()
            write(f"Running {options['users']} users ({', '.join(f'{n} {role}' for role, n in mix.items())}) "
                  f"for {options['seconds']:g} s, {options['think']:g} s think time, against gunicorn ({options['web_workers']} workers) and "
                  f"{options['celery_workers']} Celery workers; logs in {log_dir}")
            since = figures.now()
            recorder, wall = users_run(base=stack.base, site_base=site.base, room=room,
                                       pending=room.pending_verdicts, users=options["users"],
                                       seconds=options["seconds"], think=options["think"])
            found, waited = figures.background_wait(recorder, since=since, timeout=options["drain"])
            sampler.stop()
            for line in figures.request_table(recorder, wall):
                write(line)
            for line in figures.background_table(found):
                write(line)
            write(f"Lost tasks: {found.pending} (still unfinished {waited:.0f} s after the users stopped)")
            for role in ("web", "worker"):
                write(f"Peak RSS {role}: {sampler.peak_process.get(role, 0):.0f} MB in one process, "
                      f"{sampler.peak_total.get(role, 0):.0f} MB all {role} processes")
            if options["scale_out"]:
                for line in scale_out_measure(stack=stack, room=room, site=site):
                    write(line)
        finally:
            if stack is not None:
                stack.stop()
            database.drop()
            site.shutdown()

"""Time the claim report (HTML and PDF) of a claim with a large record.

    python manage.py report_bench --evidence 2000 --history 1000 --runs 3

Builds one claim with that many evidence items (each with its source and outlet) and that
many activity events inside a transaction that is rolled back at the end, so the database
is left as it was. Prints each run and the median, in seconds, for the HTML page and PDF.
"""

from __future__ import annotations

import statistics
import time
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from claims.exports.reports import claim_report, render_report_pdf


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Print how long the report of a claim with N evidence items takes (HTML and PDF)."

    def add_arguments(self, parser):
        parser.add_argument("--evidence", type=int, default=2000)
        parser.add_argument("--history", type=int, default=1000)
        parser.add_argument("--runs", type=int, default=3)

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                user, claim_id = self._seed(options["evidence"], options["history"])
                self._measure(user, claim_id, options["runs"])
                raise _Rollback
        except _Rollback:
            pass

    def _seed(self, evidence_count: int, history: int):
        from claims.models import ActivityEvent, Claim, Evidence
        from sources.models import Outlet, Source

        tag = uuid.uuid4().hex[:8]
        user = get_user_model().objects.create(username=f"report-bench-{tag}", is_superuser=True)
        claim = Claim.objects.create(text="Russia asked China for military assistance.",
                                     claimant="U.S. officials", created_by=user)
        outlets = Outlet.objects.bulk_create(
            [Outlet(name=f"Outlet {n}", domain=f"outlet-{n}-{tag}.invalid") for n in range(50)]
        )
        sources = Source.objects.bulk_create([
            Source(url=f"https://{outlets[n % 50].domain}/story-{n}", title=f"Story {n} on the request",
                   outlet=outlets[n % 50], fetch_status="fetched", author="A. Reporter")
            for n in range(evidence_count)
        ])
        stances = ["supports", "denies", "context"]
        Evidence.objects.bulk_create([
            Evidence(claim=claim, source=source, stance=stances[n % 3], speaker=f"Speaker {n % 40}",
                     quote="Officials said the request was made in March. " * 3, added_by=user,
                     note="Checked against the archived copy.")
            for n, source in enumerate(sources)
        ])
        ActivityEvent.objects.bulk_create([
            ActivityEvent(actor=user, verb="added evidence", claim=claim,
                          details={"evidence_id": n, "stance": stances[n % 3], "source": f"Story {n}"})
            for n in range(history)
        ])
        return user, claim.pk

    def _measure(self, user, claim_id: int, runs: int):
        from django.template.loader import render_to_string

        html_times, pdf_times, size = [], [], 0
        for run in range(runs):
            started = time.perf_counter()
            context = claim_report(claim_id=claim_id, user=user)
            render_to_string("exports/claim_report.html", {**context, "nav": "queue"})
            html_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            context = claim_report(claim_id=claim_id, user=user)
            pdf = render_report_pdf(context)
            pdf_times.append(time.perf_counter() - started)
            size = len(pdf)
            self.stdout.write(f"run {run + 1}: HTML {html_times[-1]:.2f} s, PDF {pdf_times[-1]:.2f} s")
        self.stdout.write(
            f"median: HTML {statistics.median(html_times):.2f} s, PDF {statistics.median(pdf_times):.2f} s"
            f" ({size / 1024:.0f} KiB)"
        )

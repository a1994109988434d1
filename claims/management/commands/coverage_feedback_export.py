"""Write the desk's labelled coverage pairs as CSV, for retraining the stance model.

    python manage.py coverage_feedback_export > feedback.csv
    python manage.py coverage_feedback_export --output feedback.csv --since 2026-01-01

Cells that a spreadsheet would run as a formula (=, +, -, @ ...) are prefixed with a quote.
"""

from __future__ import annotations

import csv
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from claims.exports.serializers import neutralise_cell
from claims.monitoring.feedback import COLUMNS, feedback_rows


class Command(BaseCommand):
    help = "Write accepted and dismissed coverage suggestions (predicted and corrected stance) as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="File to write (default: standard output)")
        parser.add_argument("--since", help="Only labels given on or after this date (YYYY-MM-DD)")

    def handle(self, *args, **options):
        since = None
        if options["since"]:
            day = parse_date(options["since"])
            if day is None:
                raise CommandError(f"--since must be a date like 2026-01-31, not {options['since']!r}.")
            since = timezone.make_aware(datetime.combine(day, time.min))
        if options["output"]:
            try:
                stream = open(options["output"], "w", newline="", encoding="utf-8")  # noqa: SIM115
            except OSError as exc:
                raise CommandError(f"Cannot write {options['output']}: {exc.strerror}.") from exc
        else:
            stream = self.stdout
        writer = csv.writer(stream if stream is not self.stdout else _Out(self.stdout))
        count = 0
        try:
            writer.writerow(COLUMNS)
            for row in feedback_rows(since=since):
                writer.writerow([neutralise_cell(cell) for cell in row])
                count += 1
        finally:
            if stream is not self.stdout:
                stream.close()
        self.stderr.write(f"Wrote {count} labelled pairs" + (f" to {options['output']}" if options["output"] else ""))


class _Out:
    """csv.writer over Django's OutputWrapper without its added line endings."""

    def __init__(self, wrapper):
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, ending="")

"""Measure language detection on short headlines (``sources.language``).

    python manage.py language_eval [--headlines FILE]

The default file is ``claims/corroboration/training/practice/headlines.csv``: 76 short news
headlines in 13 languages, written for this purpose (not taken from any data set). Prints the
accuracy overall and per language, and the detection time per headline once warm.
"""

from __future__ import annotations

import csv
import statistics
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sources.language import detect_language

DEFAULT = (Path(__file__).resolve().parents[2] / "corroboration" / "training" / "practice"
           / "headlines.csv")


class Command(BaseCommand):
    help = "Accuracy of language detection on short headlines, overall and per language."

    def add_arguments(self, parser):
        parser.add_argument("--headlines", default=str(DEFAULT), help="CSV: language,headline")

    def handle(self, *args, **opts):
        path = Path(opts["headlines"])
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        with open(path, encoding="utf-8", newline="") as fh:
            rows = [(r["language"], r["headline"]) for r in csv.DictReader(fh)]
        detect_language("warm up the detector")
        times, by_language, wrong = [], {}, []
        for language, headline in rows:
            t0 = time.perf_counter()
            found = detect_language(headline)
            times.append(time.perf_counter() - t0)
            right = by_language.setdefault(language, [0, 0])
            right[1] += 1
            if found == language:
                right[0] += 1
            else:
                wrong.append(f"{language}->{found or '?'}: {headline}")
        total = sum(r for r, _ in by_language.values())
        self.stdout.write(f"accuracy: {total / len(rows):.4f} ({total}/{len(rows)} headlines, "
                          f"median {statistics.median(len(h) for _, h in rows)} characters)")
        for language, (r, n) in sorted(by_language.items()):
            self.stdout.write(f"  {language}: {r}/{n}")
        self.stdout.write(f"median {statistics.median(times) * 1000:.2f} ms per headline")
        for line in wrong:
            self.stdout.write(f"  wrong: {line}")

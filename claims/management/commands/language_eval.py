"""Measure language detection on short headlines (``sources.language``).

    python manage.py language_eval [--headlines FILE]

The default file is ``claims/corroboration/training/practice/headlines.csv``: 76 short news
headlines in 13 languages, written for this purpose (not taken from any data set). Prints the
accuracy overall and per language, the detection time per headline once warm, and the
memory the detector's models cost this process (resident set before the first detection and
after the last).
"""

from __future__ import annotations

import csv
import statistics
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sources.language import LANGUAGE_NAMES, build_detector, detect_language

DEFAULT = (Path(__file__).resolve().parents[2] / "corroboration" / "training" / "practice"
           / "headlines.csv")


class Command(BaseCommand):
    help = "Accuracy of language detection on short headlines, overall and per language."

    def add_arguments(self, parser):
        parser.add_argument("--headlines", default=str(DEFAULT), help="CSV: language,headline")
        parser.add_argument("--high-accuracy", action="store_true",
                            help="measure lingua's high-accuracy mode instead (not used at run time)")

    def handle(self, *args, **opts):
        path = Path(opts["headlines"])
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        with open(path, encoding="utf-8", newline="") as fh:
            rows = [(r["language"], r["headline"]) for r in csv.DictReader(fh)]
        import psutil

        process = psutil.Process()
        rss_before = process.memory_info().rss
        detector = build_detector(low_accuracy=False) if opts["high_accuracy"] else None
        detect_language("warm up the detector", detector=detector)
        times, by_language, wrong = [], {}, []
        for language, headline in rows:
            t0 = time.perf_counter()
            found = detect_language(headline, detector=detector)
            times.append(time.perf_counter() - t0)
            right = by_language.setdefault(language, [0, 0])
            right[1] += 1
            if found == language:
                right[0] += 1
            else:
                wrong.append(f"{language}->{found or '?'}: {headline}")
        total = sum(r for r, _ in by_language.values())
        mode = "high-accuracy" if opts["high_accuracy"] else "low-accuracy (as run)"
        self.stdout.write(f"lingua, {mode} mode, {len(LANGUAGE_NAMES)} languages")
        self.stdout.write(f"accuracy: {total / len(rows):.4f} ({total}/{len(rows)} headlines, "
                          f"median {statistics.median(len(h) for _, h in rows)} characters)")
        for language, (r, n) in sorted(by_language.items()):
            self.stdout.write(f"  {language}: {r}/{n}")
        self.stdout.write(f"median {statistics.median(times) * 1000:.2f} ms per headline")
        rss_after = process.memory_info().rss
        self.stdout.write(f"detector memory: {(rss_after - rss_before) / 2**20:.0f} MB "
                          f"(process RSS {rss_before / 2**20:.0f} -> {rss_after / 2**20:.0f} MB)")
        for line in wrong:
            self.stdout.write(f"  wrong: {line}")

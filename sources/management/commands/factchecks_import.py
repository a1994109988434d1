"""Import prior fact-checks from a ClaimReview feed or a fact-check page.

    python manage.py factchecks_import URL [--publisher NAME]

Prints how many were added, updated and left unchanged, and each one refused with why.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from sources.factchecks.services import FactCheckImportFailed, factchecks_import


class Command(BaseCommand):
    help = "Import the ClaimReviews of a feed (JSON) or a fact-check page (JSON-LD)."

    def add_arguments(self, parser):
        parser.add_argument("url")
        parser.add_argument("--publisher", default="", help="The publisher, when the reviews do not name one")

    def handle(self, *args, url: str, publisher: str, **options):
        try:
            report = factchecks_import(url=url, publisher=publisher)
        except FactCheckImportFailed as error:
            raise CommandError(f"Nothing imported from {url}: {error}") from None
        self.stdout.write(report.summary())
        for which, why in report.refused:
            self.stdout.write(f"refused: {which}: {why}")

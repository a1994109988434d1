"""Fetch and archive one URL through the safe fetcher, in this process.

    python manage.py source_fetch https://example.org/story

Prints the new snapshot's SHA-256. A refused or failed fetch prints the reason on stderr
and exits with status 1; an unacceptable link exits with status 2.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sources import services
from sources.models import Source


class Command(BaseCommand):
    help = "Fetch and archive one URL through the safe fetcher; prints the snapshot's SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("url", help="The http(s) link to archive")

    def handle(self, *args, url: str, **options):
        try:
            source, _created = services.source_for_url(url=url)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=2) from None
        # An explicit command always takes a fresh snapshot, even of an archived source.
        snapshot = services.source_archive(source_id=source.pk, force=True)
        if snapshot is None:
            source.refresh_from_db()
            reason = source.fetch_error
            if not reason and source.fetch_status != Source.FetchStatus.FAILED:
                reason = "Another worker is archiving this source right now; try again shortly."
            raise CommandError(reason or "The fetch failed.", returncode=1)
        self.stdout.write(snapshot.sha256)

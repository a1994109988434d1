"""Register a feed to poll: ``python manage.py feed_add URL [--kind ...] [--outlet NAME]``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sources.feeds import FeedAlreadyExists, feed_add
from sources.models import FeedKind


class Command(BaseCommand):
    help = "Add an RSS/Atom feed, or a GDELT / Fact Check search query, to the polled feeds."

    def add_arguments(self, parser):
        parser.add_argument("url", nargs="?", default="",
                            help="Feed URL (may be omitted for --kind gdelt/factcheck; for claimreview, a ClaimReview JSON feed or fact-check page)")
        parser.add_argument("--outlet", default=None, help="Name of the outlet publishing the feed")
        parser.add_argument("--kind", default=FeedKind.RSS, choices=FeedKind.values)
        parser.add_argument("--interval", type=int, default=30, help="Minutes between polls (>= 1)")
        parser.add_argument("--query", default="", help="Search query (gdelt and factcheck kinds)")
        parser.add_argument("--title", default="", help="A name for the feed in the feed list")

    def handle(self, *args, **options):
        try:
            feed = feed_add(url=options["url"], kind=options["kind"], outlet_name=options["outlet"],
                            interval_minutes=options["interval"], query=options["query"],
                            title=options["title"])
        except FeedAlreadyExists as exc:
            self.stdout.write(self.style.WARNING(f"{exc.messages[0]} Feed id {exc.feed.pk}; nothing added."))
            return
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Added feed {feed.pk}: {feed} ({feed.get_kind_display()}, every {feed.interval_minutes} min). "
            "It is due now."
        ))

"""Export claims for scripts and cron, to stdout.

    python manage.py claims_export --format csv|json|claimreview
        [--status STATUS ...] [--since YYYY-MM-DD] [--claim ID]

csv: one row per claim (no byte-order mark: it is for scripts, not spreadsheets).
json: a JSON array, one claim per element and per line, with its evidence, verdict and
coverage suggestions. claimreview: a JSON array of the ClaimReview JSON-LD of published
claims. Claims are read from a server-side cursor in chunks, so memory stays flat.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from claims.exports.lists import in_chunks, in_chunks_with_details, with_export_columns
from claims.exports.serializers import claim_document, csv_stream, json_array_stream
from claims.models import Claim, ClaimStatus

FORMATS = ("csv", "json", "claimreview")


class Command(BaseCommand):
    help = "Export claims as CSV, JSON or ClaimReview JSON-LD to stdout."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=FORMATS, dest="export_format")
        parser.add_argument(
            "--status",
            nargs="+",
            action="extend",
            default=[],
            metavar="STATUS",
            help=f"Only claims in these statuses: {', '.join(ClaimStatus.values)}",
        )
        parser.add_argument(
            "--since",
            metavar="DATE",
            help="Only claims changed on or after this day (YYYY-MM-DD, newsroom time zone)",
        )
        parser.add_argument("--claim", type=int, metavar="ID", help="Export this one claim")

    def handle(self, *args, export_format, status, since, claim, **options):
        claims = self._select(statuses=status, since=since, claim_id=claim)
        if export_format == "csv":
            chunks = csv_stream(in_chunks(with_export_columns(claims)), bom=False)
        elif export_format == "json":
            documents = (claim_document(c) for c in in_chunks_with_details(claims))
            chunks = json_array_stream(documents)
        else:
            chunks = self._claimreview_chunks(claims)
        for chunk in chunks:
            self.stdout.write(chunk, ending="")

    def _select(self, *, statuses, since, claim_id):
        unknown = [s for s in statuses if s not in ClaimStatus.values]
        if unknown:
            raise CommandError(
                f"Unknown status {', '.join(repr(s) for s in unknown)}. "
                f"Use one of: {', '.join(ClaimStatus.values)}."
            )
        claims = Claim.objects.order_by("id")
        if statuses:
            claims = claims.filter(status__in=statuses)
        if since:
            try:
                day = date.fromisoformat(since)
            except ValueError:
                raise CommandError(
                    f"--since {since!r} is not a date. Use YYYY-MM-DD, e.g. 2025-03-01."
                ) from None
            start = timezone.make_aware(datetime.combine(day, time.min))
            claims = claims.filter(updated_at__gte=start)
        if claim_id is not None:
            if not Claim.objects.filter(pk=claim_id).exists():
                raise CommandError(f"There is no claim {claim_id}.")
            claims = claims.filter(pk=claim_id)
        return claims

    def _claimreview_chunks(self, claims):
        try:
            from claims.reviewing.claimreview import claimreview_for
        except ImportError:
            raise CommandError(
                "ClaimReview export needs claims.reviewing.claimreview, which is not installed yet."
            ) from None
        published = claims.filter(status=ClaimStatus.PUBLISHED)
        markup = (claimreview_for(c) for c in in_chunks(published))
        return json_array_stream(m for m in markup if m is not None)


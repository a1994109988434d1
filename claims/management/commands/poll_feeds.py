"""Poll every due feed, then match the new documents against open claims.

Without ``--sync`` it enqueues the same task beat runs every minute (workers do the rest).
With ``--sync`` it polls in this process, through the same ``feed_poll`` service, and runs
both matching passes in-process too (embedding included), printing a summary per feed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from sources.documents import documents_mark_matched
from sources.feeds import feed_poll, feeds_due
from sources.models import Feed


def _matcher():
    """Both coverage matching passes, in this process (the lexical one, then embedding and
    the semantic one). A hook: a caller (a test) may swap it for None to store only."""
    from claims.corroboration.embedding import documents_embed
    from claims.corroboration.matching import documents_match, documents_match_semantic

    def match(document_ids):
        documents_match(document_ids=document_ids)
        documents_match_semantic(document_ids=documents_embed(document_ids=document_ids))

    return match


class Command(BaseCommand):
    help = "Poll all due feeds (enqueue, or --sync to poll here and match the new documents)."

    def add_arguments(self, parser):
        parser.add_argument("--sync", action="store_true",
                            help="Poll in this process and wait, instead of enqueueing for workers")

    def handle(self, *args, **options):
        if not options["sync"]:
            from sources.feed_tasks import feeds_poll_due

            feeds_poll_due.apply_async()
            self.stdout.write(self.style.SUCCESS(
                "Queued a poll of all due feeds; workers will poll them and match new coverage."
            ))
            return
        due = feeds_due()
        if not due:
            self.stdout.write("No feed is due. (Use the feed page's 'Poll now' to force one.)")
            return
        new_ids: list[int] = []
        for feed_id in due:
            poll = feed_poll(feed_id=feed_id, only_if_due=True, send_matching=False)
            name = Feed.objects.filter(pk=feed_id).values_list("title", "url").first()
            label = (name[0] or name[1]) if name else f"feed {feed_id}"
            if poll is None:
                self.stdout.write(f"- {label}: skipped (being polled elsewhere, or no longer due)")
                continue
            ids = getattr(poll, "new_document_ids", [])
            new_ids += ids
            line = f"- {label}: {poll.get_status_display().lower()}"
            if poll.error:
                line += f" — {poll.error}"
                self.stdout.write(self.style.ERROR(line))
            else:
                line += f", {len(ids)} new of {poll.items_seen} item(s)"
                if poll.problems:
                    line += f", {len(poll.problems)} problem(s): " + "; ".join(poll.problems[:3])
                self.stdout.write(line)
        self.stdout.write(f"{len(due)} feed(s) polled, {len(new_ids)} new document(s).")
        if not new_ids:
            return
        match = _matcher()
        if match is None:
            self.stdout.write(self.style.WARNING(
                "Coverage matching is not available yet (claims.corroboration.matching."
                "documents_match); new documents were stored but not matched."
            ))
            return
        match(new_ids)
        documents_mark_matched(document_ids=new_ids)
        self.stdout.write(self.style.SUCCESS(f"Matched {len(new_ids)} new document(s) against open claims."))

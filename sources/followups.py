"""The follow-up work ``sources`` records with its changes (see ``workbench.followup``).

* ``SOURCE_ARCHIVE``: a source whose ``fetch_status`` is "pending" is archived.
* ``DOCUMENT_MATCH``: a document whose ``match_state`` is "pending" goes to coverage
  matching, a task of ``claims`` sent by name (``COVERAGE_MATCH_TASK``): sources/ never
  imports claims/.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q

from workbench.followup import FollowUp, followup_register

SOURCE_ARCHIVE = "source-archive"
DOCUMENT_MATCH = "document-match"
MATCH_BATCH = 500  # documents per matching message


def register() -> None:
    followup_register(FollowUp(
        name=SOURCE_ARCHIVE,
        model="sources.Source",
        task="sources.tasks.source_archive",
        pending=Q(fetch_status="pending") & ~Q(url=""),
        parked=lambda reason: {"fetch_status": "failed", "fetch_error": reason},
        queued_field="archive_queued_at",
        attempts_field="archive_attempts",
    ))
    followup_register(FollowUp(
        name=DOCUMENT_MATCH,
        model="sources.Document",
        task=settings.COVERAGE_MATCH_TASK,
        pending=Q(match_state="pending"),
        parked=lambda reason: {"match_state": "failed", "match_error": reason},
        queued_field="match_queued_at",
        attempts_field="match_attempts",
        batch=MATCH_BATCH,
    ))

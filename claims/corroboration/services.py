"""Writes for coverage: deciding on suggestions and starting "gather coverage now" runs."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.activity import activity_record
from claims.followups import GATHER_RUN
from claims.models import ActivityVerb, Claim, CoverageSuggestion, Evidence, GatherRun
from claims.permissions import can_act_on_coverage
from claims.services import DuplicateEvidence, evidence_add
from sources.fetching import registrable_domain
from sources.models import Source
from sources.services import source_archive_later, source_fill_blanks
from workbench.followup import followup_enqueue

logger = logging.getLogger(__name__)

#: How a suggestion's stance becomes an evidence stance.
EVIDENCE_STANCE = {"supports": "supports", "denies": "denies", "discusses": "context"}
#: A running gather run older than this is presumed dead (its worker was lost).
GATHER_RUN_STALE_AFTER = timedelta(minutes=15)
ACTIVE_RUN_STATUSES = (GatherRun.Status.QUEUED, GatherRun.Status.RUNNING)


class SuggestionAlreadyDecided(ValidationError):
    pass


def require_coverage_editor(user) -> None:
    if not can_act_on_coverage(user):
        raise PermissionDenied("Only editors and reviewers can act on coverage.")


def _lock_suggestion(suggestion_id: int) -> CoverageSuggestion:
    try:
        return (
            CoverageSuggestion.objects.select_for_update(of=("self",))
            .select_related("claim", "document", "document__outlet")
            .get(pk=suggestion_id)
        )
    except CoverageSuggestion.DoesNotExist:
        raise ValidationError("That suggestion no longer exists.") from None


def _source_for_document(url: str) -> Source:
    from sources.services import source_for_url

    source, _created = source_for_url(url=url)
    return source


def _outlet_name(document) -> str:
    if document.outlet_id:
        return document.outlet.name
    return registrable_domain(document.canonical_url) or ""


@transaction.atomic
def suggestion_accept(*, actor, suggestion_id: int) -> CoverageSuggestion:
    """Turn a suggestion into evidence with its stance, and archive the page."""
    require_coverage_editor(actor)
    suggestion = _lock_suggestion(suggestion_id)
    if suggestion.status == CoverageSuggestion.Status.ACCEPTED:
        raise SuggestionAlreadyDecided("This coverage was already accepted as evidence.")
    if suggestion.status == CoverageSuggestion.Status.DISMISSED:
        raise SuggestionAlreadyDecided("This coverage was dismissed. Restore it before accepting it.")
    document = suggestion.document
    outlet_name = _outlet_name(document)
    source = _source_for_document(document.canonical_url)
    # Fill in what the source does not know yet from the stored document (never overwrite).
    source = source_fill_blanks(
        source_id=source.pk, title=document.title or "", outlet_id=document.outlet_id
    )
    stance = EVIDENCE_STANCE[suggestion.stance]
    try:
        evidence = evidence_add(
            actor=actor,
            claim_id=suggestion.claim_id,
            source=source,
            stance=stance,
            speaker=outlet_name,
            stated_on=document.published_at.date() if document.published_at else None,
            stated_where=outlet_name,
            note=(
                f"Found by coverage matching: {suggestion.get_stance_display().lower()}, "
                f"{suggestion.stance_confidence:.0%} confidence."
            ),
        )
    except DuplicateEvidence:
        # Someone attached this article by hand already: link it rather than refuse.
        evidence = Evidence.objects.active().get(
            claim_id=suggestion.claim_id, source=source, speaker=outlet_name
        )
    suggestion.status = CoverageSuggestion.Status.ACCEPTED
    suggestion.evidence = evidence
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "evidence", "decided_by", "decided_at"])
    activity_record(
        actor=actor,
        verb=ActivityVerb.COVERAGE_ACCEPTED,
        claim=suggestion.claim,
        suggestion_id=suggestion.pk,
        evidence_id=evidence.pk,
        stance=stance,
        url=document.canonical_url,
    )
    if source.fetch_status != Source.FetchStatus.FETCHED:
        source_archive_later(source_id=source.pk)  # enqueued on commit
    return suggestion


@transaction.atomic
def suggestion_dismiss(*, actor, suggestion_id: int) -> CoverageSuggestion:
    """Remember that this document is not coverage of this claim; it is never suggested again."""
    require_coverage_editor(actor)
    suggestion = _lock_suggestion(suggestion_id)
    if suggestion.status == CoverageSuggestion.Status.ACCEPTED:
        raise SuggestionAlreadyDecided(
            "This coverage was already accepted as evidence; remove the evidence instead."
        )
    if suggestion.status == CoverageSuggestion.Status.DISMISSED:
        return suggestion  # a double click: already done
    suggestion.status = CoverageSuggestion.Status.DISMISSED
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    activity_record(
        actor=actor,
        verb=ActivityVerb.COVERAGE_DISMISSED,
        claim=suggestion.claim,
        suggestion_id=suggestion.pk,
        url=suggestion.document.canonical_url,
    )
    return suggestion


@transaction.atomic
def suggestion_restore(*, actor, suggestion_id: int) -> CoverageSuggestion:
    """Undo a dismissal."""
    require_coverage_editor(actor)
    suggestion = _lock_suggestion(suggestion_id)
    if suggestion.status == CoverageSuggestion.Status.ACCEPTED:
        raise SuggestionAlreadyDecided("This coverage was already accepted as evidence.")
    if suggestion.status == CoverageSuggestion.Status.SUGGESTED:
        return suggestion
    suggestion.status = CoverageSuggestion.Status.SUGGESTED
    suggestion.decided_by = None
    suggestion.decided_at = None
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    activity_record(
        actor=actor,
        verb=ActivityVerb.COVERAGE_RESTORED,
        claim=suggestion.claim,
        suggestion_id=suggestion.pk,
        url=suggestion.document.canonical_url,
    )
    return suggestion


@transaction.atomic
def gather_run_start(*, actor, claim_id: int) -> tuple[GatherRun, bool]:
    """Start gathering coverage for a claim, or return the run already in progress.

    Returns ``(run, created)``. Locking the claim row serialises double clicks.
    """
    require_coverage_editor(actor)
    if not actor.has_perm("claims.add_gatherrun"):
        raise PermissionDenied("Only editors and reviewers can gather coverage.")
    try:
        claim = Claim.objects.select_for_update().get(pk=claim_id)
    except Claim.DoesNotExist:
        raise ValidationError("That claim no longer exists.") from None
    now = timezone.now()
    active = GatherRun.objects.filter(claim=claim, status__in=ACTIVE_RUN_STATUSES).order_by("-created_at").first()
    if active is not None:
        # A queued run is durable work (it waits for a worker, however long the broker is
        # down); only a run that started and stopped responding is replaced.
        if active.status == GatherRun.Status.QUEUED or (active.started_at or active.created_at) > now - GATHER_RUN_STALE_AFTER:
            return active, False
        GatherRun.objects.filter(pk=active.pk).update(
            status=GatherRun.Status.FAILED,
            finished_at=now,
            error="This run stopped responding and was replaced by a new one.",
        )
    run = GatherRun.objects.create(claim=claim, requested_by=actor, step="Waiting for a worker")
    activity_record(actor=actor, verb=ActivityVerb.COVERAGE_GATHERED, claim=claim, gather_run_id=run.pk)
    followup_enqueue(GATHER_RUN, [run.pk])  # recorded with the run, sent on commit
    return run, True

"""Duplicates: folding a claim into the one it repeats."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from claims.activity import activity_record
from claims.models import ActivityVerb, Claim, ClaimStatus
from claims.permissions import require_editor
from claims.services.search import claim_refresh_search
from claims.services.workflow import check_transition


@transaction.atomic
def claim_mark_duplicate(*, actor, claim_id: int, original_id: int) -> Claim:
    """Fold a claim into the one it repeats: evidence and activity move to the original, the
    claim becomes a duplicate pointing at it. Evidence the original already has (same source and
    speaker) stays with the duplicate rather than breaking the unique constraint."""
    from claims.models import ActivityEvent, Evidence, Note

    require_editor(actor)
    if int(claim_id) == int(original_id):
        raise ValidationError("A claim cannot be a duplicate of itself.")
    # Lock both rows in id order so two opposite merges cannot deadlock.
    locked = {
        c.pk: c
        for c in Claim.objects.select_for_update().filter(pk__in=[claim_id, original_id]).order_by("pk")
    }
    claim, original = locked.get(int(claim_id)), locked.get(int(original_id))
    if original is None:
        raise ValidationError(f"There is no claim #{original_id}.")
    if original.status == ClaimStatus.DUPLICATE:
        raise ValidationError(
            f"Claim #{original.pk} is itself a duplicate (of #{original.duplicate_of_id}); "
            "choose the original claim."
        )
    check_transition(actor=actor, claim=claim, to_status=ClaimStatus.DUPLICATE)
    if claim.published_at is not None:
        raise ValidationError(
            "This claim has been published: its fact-check and the evidence it cites stay "
            "where they are, so it cannot be folded into another claim."
        )
    # Tombstones move with the history; a live item the original already has stays behind.
    taken = set(Evidence.objects.active().filter(claim=original).values_list("source_id", "speaker"))
    movable = [
        e.pk
        for e in Evidence.objects.filter(claim=claim).only("pk", "source_id", "speaker", "removed_at")
        if e.removed_at is not None or (e.source_id, e.speaker) not in taken
    ]
    moved_evidence = Evidence.objects.filter(pk__in=movable).update(claim=original)
    moved_activity = ActivityEvent.objects.filter(claim=claim).update(claim=original)
    Note.objects.filter(claim=claim).update(claim=original)
    from_status = claim.status
    claim.status = ClaimStatus.DUPLICATE
    claim.duplicate_of = original
    claim.revision = F("revision") + 1
    claim.save(update_fields=["status", "duplicate_of", "revision", "updated_at"])
    claim.refresh_from_db()
    original.revision = F("revision") + 1
    original.save(update_fields=["revision", "updated_at"])
    claim_refresh_search(claim_id=original.pk)
    claim_refresh_search(claim_id=claim.pk)
    activity_record(
        actor=actor, verb=ActivityVerb.MARKED_DUPLICATE, claim=claim, from_status=from_status,
        to_status=ClaimStatus.DUPLICATE, original_id=original.pk,
    )
    activity_record(
        actor=actor, verb=ActivityVerb.MERGED_DUPLICATE, claim=original, duplicate_id=claim.pk,
        moved_evidence=moved_evidence, moved_activity=moved_activity,
        kept_on_duplicate=Evidence.objects.active().filter(claim=claim).count(),
    )
    return claim

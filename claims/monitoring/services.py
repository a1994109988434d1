"""Writes of monitoring: a reviewer's correction of the stance of accepted coverage."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.activity import activity_record
from claims.models import ActivityVerb, CoverageSuggestion
from claims.models.coverage import CoverageStance
from claims.permissions import require_reviewer


@transaction.atomic
def suggestion_correct_stance(*, actor, suggestion_id: int, stance: str) -> CoverageSuggestion:
    """Record the stance accepted coverage really takes. Choosing the predicted stance again
    clears a correction. It is a label for the model (live precision, retraining); the
    evidence item's own stance is edited on the evidence, as always."""
    require_reviewer(actor)
    if stance not in CoverageStance.values:
        raise ValidationError("Choose supports, denies or discusses.")
    suggestion = CoverageSuggestion.objects.select_for_update().filter(pk=suggestion_id).first()
    if suggestion is None:
        raise ValidationError("That suggestion no longer exists.")
    if suggestion.status != CoverageSuggestion.Status.ACCEPTED:
        raise ValidationError("Only accepted coverage can have its stance corrected.")
    corrected = "" if stance == suggestion.stance else stance
    if corrected == suggestion.corrected_stance:
        return suggestion  # a double click: already so
    previous = suggestion.corrected_stance or suggestion.stance
    suggestion.corrected_stance = corrected
    suggestion.corrected_by = actor if corrected else None
    suggestion.corrected_at = timezone.now() if corrected else None
    suggestion.save(update_fields=["corrected_stance", "corrected_by", "corrected_at"])
    activity_record(actor=actor, verb=ActivityVerb.COVERAGE_STANCE_CORRECTED, claim=suggestion.claim,
                    suggestion_id=suggestion.pk, predicted=suggestion.stance, old=previous, new=stance)
    return suggestion

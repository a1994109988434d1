"""Writes of monitoring: a reviewer's correction of the stance of accepted coverage."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.activity import activity_record
from claims.corroboration.services import EVIDENCE_STANCE
from claims.models import ActivityVerb, CoverageSuggestion
from claims.models.coverage import CoverageStance
from claims.permissions import require_reviewer
from claims.services import (
    EvidenceFrozen,
    StaleEvidenceEdit,
    evidence_frozen_reason,
    evidence_update,
)


@dataclass(frozen=True)
class StanceCorrection:
    suggestion: CoverageSuggestion
    evidence_changed: bool  # the evidence item made of it now takes the corrected stance
    evidence_left: str  # why its evidence item kept its stance, or ""


@transaction.atomic
def suggestion_correct_stance(*, actor, suggestion_id: int, stance: str) -> StanceCorrection:
    """Record the stance accepted coverage really takes, as a label for the model (live
    precision, retraining). Choosing the predicted stance again clears a correction.

    The evidence item the suggestion became follows, through the ordinary evidence edit (its
    history shows old and new), unless an editor already set its stance by hand, it was
    removed, or a verdict that is published or under review cites it: then only the label
    changes and the answer says why, so a published fact-check never changes this way."""
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
        return StanceCorrection(suggestion, False, "")  # a double click: already so
    previous = suggestion.corrected_stance or suggestion.stance
    suggestion.corrected_stance = corrected
    suggestion.corrected_by = actor if corrected else None
    suggestion.corrected_at = timezone.now() if corrected else None
    suggestion.save(update_fields=["corrected_stance", "corrected_by", "corrected_at"])
    activity_record(actor=actor, verb=ActivityVerb.COVERAGE_STANCE_CORRECTED, claim=suggestion.claim,
                    suggestion_id=suggestion.pk, predicted=suggestion.stance, old=previous, new=stance)
    changed, left = _evidence_follow(actor=actor, suggestion=suggestion, previous=previous, stance=stance)
    return StanceCorrection(suggestion, changed, left)


def _evidence_follow(*, actor, suggestion: CoverageSuggestion, previous: str, stance: str) -> tuple[bool, str]:
    evidence = suggestion.evidence
    if evidence is None:
        return False, ""
    if evidence.is_removed:
        return False, "Its evidence item was removed from the claim, so it stays as it was."
    if evidence.stance == EVIDENCE_STANCE[stance]:
        return False, ""
    if evidence.stance != EVIDENCE_STANCE[previous]:
        return False, (f"Its evidence item's stance was set by hand to “{evidence.get_stance_display()}”, "
                       "so it was left as it is.")
    reason = evidence_frozen_reason(evidence)
    if reason:
        return False, reason
    try:
        evidence_update(actor=actor, evidence_id=evidence.pk, expected_revision=evidence.revision,
                        stance=EVIDENCE_STANCE[stance])
    except EvidenceFrozen as frozen:  # cited between the check and the lock
        return False, " ".join(frozen.messages)
    except StaleEvidenceEdit:
        return False, "Its evidence item was being edited at the same moment, so it was left as it is."
    return True, ""

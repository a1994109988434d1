"""A reviewer corrects the stance of accepted coverage; the correction counts as a label."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from claims.models import ActivityEvent
from claims.monitoring.services import suggestion_correct_stance
from tests.claims.monitoring import labels

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(editor):
    claim = labels.build(editor)
    return claim.suggestions.get(document__canonical_url="https://news.example/1")


def test_a_reviewer_corrects_and_can_undo_a_stance(reviewer, accepted):
    corrected = suggestion_correct_stance(actor=reviewer, suggestion_id=accepted.pk, stance="discusses").suggestion
    assert corrected.corrected_stance == "discusses" and corrected.corrected_by == reviewer
    event = ActivityEvent.objects.get(verb="coverage_stance_corrected")
    assert event.details == {"suggestion_id": accepted.pk, "predicted": "supports", "old": "supports",
                             "new": "discusses"}
    undone = suggestion_correct_stance(actor=reviewer, suggestion_id=accepted.pk, stance="supports").suggestion
    assert undone.corrected_stance == "" and undone.corrected_by is None
    assert ActivityEvent.objects.filter(verb="coverage_stance_corrected").count() == 2


def test_a_repeated_correction_changes_nothing(reviewer, accepted):
    suggestion_correct_stance(actor=reviewer, suggestion_id=accepted.pk, stance="denies")
    suggestion_correct_stance(actor=reviewer, suggestion_id=accepted.pk, stance="denies")
    assert ActivityEvent.objects.filter(verb="coverage_stance_corrected").count() == 1


@pytest.mark.parametrize("persona", ["editor", "outsider"])
def test_only_reviewers_correct(request, persona, accepted):
    with pytest.raises(PermissionDenied):
        suggestion_correct_stance(actor=request.getfixturevalue(persona), suggestion_id=accepted.pk,
                                  stance="denies")


def test_undecided_or_dismissed_coverage_and_unknown_stances_are_refused(reviewer, editor, accepted):
    dismissed = accepted.claim.suggestions.get(document__canonical_url="https://news.example/2")
    with pytest.raises(ValidationError, match="Only accepted coverage"):
        suggestion_correct_stance(actor=reviewer, suggestion_id=dismissed.pk, stance="denies")
    with pytest.raises(ValidationError, match="Choose supports"):
        suggestion_correct_stance(actor=reviewer, suggestion_id=accepted.pk, stance="agree")
    with pytest.raises(ValidationError, match="no longer exists"):
        suggestion_correct_stance(actor=reviewer, suggestion_id=999999, stance="denies")


# --- the evidence item the suggestion became follows the correction ----------------------------


@pytest.fixture
def accepted_as_evidence(editor):
    from claims.corroboration.services import suggestion_accept
    from claims.models import Claim

    claim = Claim.objects.create(text="Russia asked China for aid", claimant="Officials", created_by=editor)
    made = labels.suggestion(claim, 10, stance="supports", language="en", status="suggested")
    return suggestion_accept(actor=editor, suggestion_id=made.pk)


def test_the_evidence_item_takes_the_corrected_stance_and_back(reviewer, accepted_as_evidence):
    evidence = accepted_as_evidence.evidence
    assert evidence.stance == "supports"

    correction = suggestion_correct_stance(actor=reviewer, suggestion_id=accepted_as_evidence.pk,
                                           stance="denies")
    evidence.refresh_from_db()
    assert (correction.evidence_changed, correction.evidence_left, evidence.stance) == (True, "", "denies")
    edit = ActivityEvent.objects.get(verb="evidence_edited", actor=reviewer)
    assert edit.details["changes"]["stance"] == {"old": "supports", "new": "denies"}

    suggestion_correct_stance(actor=reviewer, suggestion_id=accepted_as_evidence.pk, stance="discusses")
    evidence.refresh_from_db()
    assert evidence.stance == "context"  # what "discusses" means on evidence
    suggestion_correct_stance(actor=reviewer, suggestion_id=accepted_as_evidence.pk, stance="supports")
    evidence.refresh_from_db()
    assert evidence.stance == "supports"


def test_a_stance_an_editor_set_by_hand_is_left_alone(editor, reviewer, accepted_as_evidence):
    from claims.services import evidence_update

    evidence = accepted_as_evidence.evidence
    evidence_update(actor=editor, evidence_id=evidence.pk, expected_revision=evidence.revision, stance="context")
    correction = suggestion_correct_stance(actor=reviewer, suggestion_id=accepted_as_evidence.pk,
                                           stance="denies")
    evidence.refresh_from_db()
    assert correction.suggestion.corrected_stance == "denies"  # the label is recorded all the same
    assert not correction.evidence_changed and "set by hand" in correction.evidence_left
    assert evidence.stance == "context"


def test_evidence_a_published_verdict_cites_is_never_changed_this_way(editor, reviewer, accepted_as_evidence):
    from claims.models import Rating, VerdictState, VerdictVersion
    from claims.reviewing.ratings import ensure_default_scale

    ensure_default_scale()
    evidence = accepted_as_evidence.evidence
    version = VerdictVersion.objects.create(claim=evidence.claim, number=1, state=VerdictState.APPROVED,
                                            headline="False", author=editor, rating=Rating.objects.first(),
                                            reviewed_by=reviewer, reviewed_at=timezone.now(),
                                            submitted_at=timezone.now(), published_at=timezone.now())
    version.cited_evidence.add(evidence)
    correction = suggestion_correct_stance(actor=reviewer, suggestion_id=accepted_as_evidence.pk,
                                           stance="denies")
    evidence.refresh_from_db()
    assert not correction.evidence_changed and "published verdict" in correction.evidence_left
    assert evidence.stance == "supports"
    assert correction.suggestion.corrected_stance == "denies"

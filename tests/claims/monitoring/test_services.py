"""A reviewer corrects the stance of accepted coverage; the correction counts as a label."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.models import ActivityEvent
from claims.monitoring.services import suggestion_correct_stance
from tests.claims.monitoring import labels

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(editor):
    claim = labels.build(editor)
    return claim.suggestions.get(document__canonical_url="https://news.example/1")


def test_a_reviewer_corrects_and_can_undo_a_stance(reviewer, accepted):
    corrected = suggestion_correct_stance(actor=reviewer, suggestion_id=accepted.pk, stance="discusses")
    assert corrected.corrected_stance == "discusses" and corrected.corrected_by == reviewer
    event = ActivityEvent.objects.get(verb="coverage_stance_corrected")
    assert event.details == {"suggestion_id": accepted.pk, "predicted": "supports", "old": "supports",
                             "new": "discusses"}
    undone = suggestion_correct_stance(actor=reviewer, suggestion_id=accepted.pk, stance="supports")
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

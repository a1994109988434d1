import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims.corroboration import matching, services
from claims.models import ActivityEvent, ActivityVerb, CoverageSuggestion, Evidence
from sources.models import Source
from tests.coverage.helpers import (
    DENYING_STORY,
    MILITARY_AID_CLAIM,
    SUPPORTING_STORY,
    make_document,
)
from tests.factories import OutletFactory, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggestions(editor):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    reuters = OutletFactory(name="Reuters", domain="reuters.com")
    tass = OutletFactory(name="TASS", domain="tass.com")
    supporting = make_document(**SUPPORTING_STORY, outlet=reuters, url="https://reuters.com/world/aid")
    denying = make_document(**DENYING_STORY, outlet=tass, url="https://tass.com/politics/denial")
    matching.documents_match(document_ids=[supporting.pk, denying.pk])
    return {
        "claim": claim,
        "supports": CoverageSuggestion.objects.get(document=supporting),
        "denies": CoverageSuggestion.objects.get(document=denying),
    }


def test_it_turns_an_accepted_suggestion_into_evidence_with_its_stance(suggestions, editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        accepted = services.suggestion_accept(actor=editor, suggestion_id=suggestions["supports"].pk)

    evidence = accepted.evidence
    assert accepted.status == "accepted" and accepted.decided_by == editor
    assert (evidence.stance, evidence.speaker, evidence.claim_id) == ("supports", "Reuters", suggestions["claim"].pk)
    assert evidence.source.url == "https://reuters.com/world/aid"
    assert evidence.source.title == SUPPORTING_STORY["title"]
    assert ActivityEvent.objects.filter(verb=ActivityVerb.COVERAGE_ACCEPTED, claim=suggestions["claim"]).exists()
    assert len(callbacks) == 1  # the archive job, sent after commit


def test_it_maps_a_denying_suggestion_to_denying_evidence(suggestions, editor):
    accepted = services.suggestion_accept(actor=editor, suggestion_id=suggestions["denies"].pk)
    assert accepted.evidence.stance == "denies"


def test_it_refuses_to_accept_the_same_suggestion_twice(suggestions, editor, editor2):
    services.suggestion_accept(actor=editor, suggestion_id=suggestions["supports"].pk)

    with pytest.raises(ValidationError, match="already accepted"):
        services.suggestion_accept(actor=editor2, suggestion_id=suggestions["supports"].pk)

    assert Evidence.objects.count() == 1


def test_it_links_existing_evidence_when_the_article_was_attached_by_hand(suggestions, editor):
    from claims.services import evidence_add

    source = Source.objects.create(url="https://reuters.com/world/aid", title="By hand")
    by_hand = evidence_add(actor=editor, claim_id=suggestions["claim"].pk, source=source, stance="supports", speaker="Reuters")

    accepted = services.suggestion_accept(actor=editor, suggestion_id=suggestions["supports"].pk)

    assert accepted.evidence == by_hand
    assert Evidence.objects.count() == 1


def test_a_dismissal_is_remembered_and_can_be_undone(suggestions, editor):
    dismissed = services.suggestion_dismiss(actor=editor, suggestion_id=suggestions["supports"].pk)
    assert dismissed.status == "dismissed"
    with pytest.raises(ValidationError, match="Restore it"):
        services.suggestion_accept(actor=editor, suggestion_id=dismissed.pk)

    restored = services.suggestion_restore(actor=editor, suggestion_id=dismissed.pk)

    assert restored.status == "suggested" and restored.decided_by is None
    verbs = set(ActivityEvent.objects.values_list("verb", flat=True))
    assert {ActivityVerb.COVERAGE_DISMISSED, ActivityVerb.COVERAGE_RESTORED} <= verbs


def test_it_refuses_outsiders_in_the_services(suggestions, outsider):
    for service in (services.suggestion_accept, services.suggestion_dismiss, services.suggestion_restore):
        with pytest.raises(PermissionDenied):
            service(actor=outsider, suggestion_id=suggestions["supports"].pk)
    with pytest.raises(PermissionDenied):
        services.gather_run_start(actor=outsider, claim_id=suggestions["claim"].pk)
    assert not Evidence.objects.exists()


def test_a_reviewer_can_accept_coverage(suggestions, reviewer):
    assert services.suggestion_accept(actor=reviewer, suggestion_id=suggestions["denies"].pk).status == "accepted"


def test_a_second_gather_request_reuses_the_active_run(editor, django_capture_on_commit_callbacks):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    with django_capture_on_commit_callbacks() as callbacks:
        first, created = services.gather_run_start(actor=editor, claim_id=claim.pk)
        second, created_again = services.gather_run_start(actor=editor, claim_id=claim.pk)

    assert created and not created_again
    assert first.pk == second.pk
    assert len(callbacks) == 1

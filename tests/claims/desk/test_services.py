import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.models import ActivityEvent, ActivityVerb, Claim, Evidence, Note
from tests.factories import SourceFactory, make_claim, walk_claim_to

pytestmark = pytest.mark.django_db


def test_it_refuses_a_stale_edit_from_a_second_editor(editor, editor2):
    claim = make_claim(editor)
    loaded_revision = claim.revision
    services.claim_update(actor=editor, claim_id=claim.pk, expected_revision=loaded_revision, claimant="Kremlin")
    with pytest.raises(services.StaleEdit) as caught:
        services.claim_update(actor=editor2, claim_id=claim.pk, expected_revision=loaded_revision, claimant="Beijing")
    assert caught.value.current.claimant == "Kremlin"
    assert Claim.objects.get(pk=claim.pk).claimant == "Kremlin"


def test_it_logs_an_edit_with_the_changed_fields(editor):
    claim = make_claim(editor)
    updated = services.claim_update(
        actor=editor, claim_id=claim.pk, expected_revision=claim.revision, text="New words", tags=["war"]
    )
    assert updated.revision == claim.revision + 1
    event = ActivityEvent.objects.filter(claim=claim, verb=ActivityVerb.EDITED).get()
    assert set(event.details["fields"]) == {"text", "tags"}


def test_it_moves_evidence_and_activity_of_a_duplicate_to_the_original(editor):
    original = make_claim(editor, text="China offered Russia help")
    duplicate = make_claim(editor, text="China offered Russia aid")
    shared, own = SourceFactory(), SourceFactory()
    services.evidence_add(actor=editor, claim_id=original.pk, source=shared, stance="supports")
    services.evidence_add(actor=editor, claim_id=duplicate.pk, source=shared, stance="supports")
    services.evidence_add(actor=editor, claim_id=duplicate.pk, source=own, stance="context")
    services.note_add(actor=editor, claim_id=duplicate.pk, body="Check the wire copy")

    merged = services.claim_mark_duplicate(actor=editor, claim_id=duplicate.pk, original_id=original.pk)

    assert merged.status == "duplicate" and merged.duplicate_of_id == original.pk
    assert set(Evidence.objects.filter(claim=original).values_list("source_id", flat=True)) == {shared.pk, own.pk}
    # The row that would break unique (claim, source, speaker) stays behind.
    assert Evidence.objects.filter(claim=duplicate, source=shared).exists()
    assert ActivityEvent.objects.filter(claim=original, verb=ActivityVerb.LOGGED).count() == 2
    assert Note.objects.filter(claim=original).count() == 1


def test_it_refuses_to_mark_a_claim_a_duplicate_of_itself_or_of_a_duplicate(editor):
    a, b, c = make_claim(editor), make_claim(editor, text="b"), make_claim(editor, text="c")
    with pytest.raises(ValidationError):
        services.claim_mark_duplicate(actor=editor, claim_id=a.pk, original_id=a.pk)
    services.claim_mark_duplicate(actor=editor, claim_id=b.pk, original_id=a.pk)
    with pytest.raises(ValidationError, match="itself a duplicate"):
        services.claim_mark_duplicate(actor=editor, claim_id=c.pk, original_id=b.pk)


def test_it_attaches_a_url_once_and_archives_after_commit(editor, no_archive, django_capture_on_commit_callbacks):
    claim = make_claim(editor)
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.evidence_attach_url(
            actor=editor, claim_id=claim.pk, url="https://news.example/story?utm_source=x", stance="supports"
        )
    assert evidence.source.fetch_status == "pending"
    assert no_archive == [evidence.source_id]
    with pytest.raises(services.DuplicateEvidence, match="Already attached"):
        services.evidence_attach_url(actor=editor, claim_id=claim.pk, url="https://news.example/story", stance="supports")
    assert Evidence.objects.filter(claim=claim).count() == 1


def test_it_refuses_a_non_web_url(editor, no_archive):
    claim = make_claim(editor)
    with pytest.raises(ValidationError):
        services.evidence_attach_url(actor=editor, claim_id=claim.pk, url="javascript:alert(1)", stance="supports")
    assert not Evidence.objects.exists()


def test_it_records_a_denial_from_a_statement_without_url(editor):
    claim = make_claim(editor)
    evidence = services.evidence_add_manual(
        actor=editor, claim_id=claim.pk, kind="press_conference", title="MFA briefing",
        outlet_name="Chinese Foreign Ministry", stance="denies", speaker="Zhao Lijian",
        speaker_is_party=True, quote="Pure disinformation",
    )
    evidence.refresh_from_db()
    assert evidence.is_denial
    assert evidence.source.outlet.name == "Chinese Foreign Ministry"
    assert evidence.source.url == "" and evidence.source.fetch_status == "n/a"


def test_it_returns_the_same_claim_on_a_double_submission(editor):
    first, created = services.claim_create_once(actor=editor, text="Same", claimant="X")
    second, created_again = services.claim_create_once(actor=editor, text="Same", claimant="X")
    assert created and not created_again and first.pk == second.pk


def test_it_never_publishes_as_a_bare_status_change(editor, reviewer):
    claim = walk_claim_to(make_claim(editor), "in_review", actor=editor)
    with pytest.raises(PermissionDenied):
        services.claim_change_status(actor=editor, claim_id=claim.pk, to_status="published")
    with pytest.raises(ValidationError, match="approving the verdict"):
        services.claim_change_status(actor=reviewer, claim_id=claim.pk, to_status="published")
    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_it_routes_status_changes_to_the_named_transitions(editor):
    claim = make_claim(editor)
    assert services.claim_change_status(actor=editor, claim_id=claim.pk, to_status="triaged").status == "triaged"
    assert services.claim_change_status(actor=editor, claim_id=claim.pk, to_status="new").status == "new"
    with pytest.raises(services.TransitionNotAllowed):
        services.claim_change_status(actor=editor, claim_id=claim.pk, to_status="in_review")
    rejected = services.claim_change_status(actor=editor, claim_id=claim.pk, to_status="rejected", reason="Opinion")
    assert rejected.rejection_reason == "Opinion"


def test_outsiders_cannot_use_the_desk_services(outsider, editor):
    claim = make_claim(editor)
    with pytest.raises(PermissionDenied):
        services.claim_update(actor=outsider, claim_id=claim.pk, expected_revision=claim.revision, text="x")
    with pytest.raises(PermissionDenied):
        services.note_add(actor=outsider, claim_id=claim.pk, body="x")
    with pytest.raises(PermissionDenied):
        services.claim_set_priority(actor=outsider, claim_id=claim.pk, priority=4)

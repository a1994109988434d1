import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from claims.models import ActivityEvent, ActivityVerb, Rating, Review, VerdictState, VerdictVersion
from claims.reviewing import services
from tests.factories import make_claim, walk_claim_to
from tests.reviewing.conftest import draft_for, published, submitted_for

pytestmark = pytest.mark.django_db


def test_it_seeds_a_default_scale_where_higher_is_truer():
    values = dict(Rating.objects.values_list("label", "rating_value"))
    assert values["True"] > values["Mostly true"] > values["Half true"] > values["Mostly false"] > values["False"]
    assert values["Misleading"] == values["Mostly false"]
    assert values["Unproven"] == values["Half true"]


def test_it_drafts_and_updates_one_draft(claim, editor):
    first = draft_for(claim, editor)
    second = draft_for(claim, editor, headline="A better headline")
    assert first.pk == second.pk
    assert VerdictVersion.objects.get().headline == "A better headline"
    assert second.cited_evidence.count() == 2


def test_it_refuses_retired_ratings_for_new_drafts(claim, editor):
    retired = Rating.objects.get(label="Misleading")
    retired.is_retired = True
    retired.save()
    with pytest.raises(ValidationError, match="retired"):
        draft_for(claim, editor, rating=retired)


def test_it_refuses_evidence_from_another_claim(claim, editor):
    other = make_claim(editor, text="Another claim")
    with pytest.raises(ValidationError, match="not attached"):
        draft_for(claim, editor, cited_evidence_ids=[*claim.evidence.values_list("pk", flat=True), 10**9])
    assert not VerdictVersion.objects.filter(claim=other).exists()


def test_submitting_needs_cited_evidence_and_a_denial_or_a_waiver(claim, editor):
    supporting = claim.evidence.get(stance="supports")
    version = draft_for(claim, editor, cited_evidence_ids=[])
    with pytest.raises(ValidationError, match="Cite at least one evidence item"):
        services.verdict_submit(actor=editor, version_id=version.pk)
    version = draft_for(claim, editor, cited_evidence_ids=[supporting.pk])
    with pytest.raises(ValidationError, match="denial or refutation"):
        services.verdict_submit(actor=editor, version_id=version.pk)
    version = draft_for(
        claim, editor, cited_evidence_ids=[supporting.pk],
        denial_waiver_reason="The claimant's own statement; nobody disputes it was said.",
    )
    version = services.verdict_submit(actor=editor, version_id=version.pk)
    assert version.state == VerdictState.SUBMITTED
    assert version.submitted_at is not None
    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_submitted_versions_are_frozen(claim, editor):
    version = submitted_for(claim, editor)
    with pytest.raises(ValidationError, match="awaiting review"):
        draft_for(claim, editor, headline="Sneaky edit", based_on_id=version.pk)
    with pytest.raises(ValidationError, match="only a draft"):
        services.verdict_submit(actor=editor, version_id=version.pk)
    version.refresh_from_db()
    assert version.headline == "No public evidence for the request"


def test_only_the_author_edits_or_submits_a_draft(claim, editor, editor2):
    version = draft_for(claim, editor)
    with pytest.raises(PermissionDenied):
        draft_for(claim, editor2, headline="Mine now")
    with pytest.raises(PermissionDenied):
        services.verdict_submit(actor=editor2, version_id=version.pk)


def test_outsiders_cannot_draft(claim, outsider):
    with pytest.raises(PermissionDenied):
        draft_for(claim, outsider)


def test_a_reviewer_approves_and_the_claim_is_published(claim, editor, reviewer):
    version = submitted_for(claim, editor)
    services.verdict_approve(actor=reviewer, version_id=version.pk, comments="Solid.")
    version.refresh_from_db()
    claim.refresh_from_db()
    assert version.state == VerdictState.APPROVED
    assert version.reviewed_by == reviewer and version.reviewed_at and version.published_at
    assert claim.status == "published"
    assert claim.slug == "russia-asked-china-for-military-assistance"
    assert claim.published_at is not None
    review = Review.objects.get()
    assert (review.reviewer, review.decision, review.comments) == (reviewer, "approve", "Solid.")
    assert ActivityEvent.objects.filter(claim=claim, verb=ActivityVerb.VERDICT_APPROVED).exists()


def test_the_author_cannot_approve_their_own_version_even_as_superuser(claim, admin_user):
    version = submitted_for(claim, admin_user)
    with pytest.raises(PermissionDenied, match="two-person rule"):
        services.verdict_approve(actor=admin_user, version_id=version.pk)
    with pytest.raises(PermissionDenied, match="two-person rule"):
        services.verdict_request_changes(actor=admin_user, version_id=version.pk, comments="x")
    version.refresh_from_db()
    assert version.state == VerdictState.SUBMITTED and version.reviewed_by is None


def test_editors_cannot_approve(claim, editor, editor2):
    version = submitted_for(claim, editor)
    with pytest.raises(PermissionDenied):
        services.verdict_approve(actor=editor2, version_id=version.pk)


def test_approving_twice_or_approving_a_draft_is_refused(claim, editor, reviewer, admin_user):
    draft = draft_for(claim, editor)
    with pytest.raises(ValidationError, match="awaiting review"):
        services.verdict_approve(actor=reviewer, version_id=draft.pk)
    services.verdict_submit(actor=editor, version_id=draft.pk)
    services.verdict_approve(actor=reviewer, version_id=draft.pk)
    with pytest.raises(ValidationError, match="approved"):
        services.verdict_approve(actor=admin_user, version_id=draft.pk)
    assert Review.objects.count() == 1


def test_the_database_refuses_reviewer_equal_to_author(claim, editor):
    version = submitted_for(claim, editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        VerdictVersion.objects.filter(pk=version.pk).update(reviewed_by=editor)


def test_requesting_changes_returns_the_claim_and_a_revision_is_a_new_version(claim, editor, reviewer):
    v1 = submitted_for(claim, editor)
    with pytest.raises(ValidationError, match="what needs to change"):
        services.verdict_request_changes(actor=reviewer, version_id=v1.pk, comments="  ")
    services.verdict_request_changes(actor=reviewer, version_id=v1.pk, comments="Cite the transcript.")
    v1.refresh_from_db()
    claim.refresh_from_db()
    assert v1.state == VerdictState.CHANGES_REQUESTED
    assert claim.status == "researching"
    assert v1.reviews.get().comments == "Cite the transcript."
    # A stale form (not based on the latest version) is refused; a current one makes v2.
    with pytest.raises(ValidationError, match="changed while you were editing"):
        draft_for(claim, editor, based_on_id=None)
    v2 = draft_for(claim, editor, based_on_id=v1.pk, headline="Revised")
    assert v2.number == 2 and v2.state == VerdictState.DRAFT
    v1.refresh_from_db()
    assert v1.headline == "No public evidence for the request"  # v1 kept as it was


def test_a_correction_keeps_the_claim_published_and_supersedes_on_approval(published_claim, editor, reviewer):
    v1 = published_claim.verdict_versions.get()
    with pytest.raises(ValidationError, match="correction note"):
        submitted_for(published_claim, editor, based_on_id=v1.pk, headline="Corrected")
    v2 = VerdictVersion.objects.get(claim=published_claim, number=2)
    draft_for(published_claim, editor, correction_note="Fixed the date of the briefing.",
              headline="Corrected")
    services.verdict_submit(actor=editor, version_id=v2.pk)
    published_claim.refresh_from_db()
    assert published_claim.status == "published"
    services.verdict_approve(actor=reviewer, version_id=v2.pk)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.state, v2.state) == (VerdictState.SUPERSEDED, VerdictState.APPROVED)
    published_claim.refresh_from_db()
    assert published_claim.status == "published"


def test_changes_requested_on_a_correction_keep_the_published_verdict(published_claim, editor, reviewer):
    v1 = published_claim.verdict_versions.get()
    v2 = submitted_for(published_claim, editor, based_on_id=v1.pk, correction_note="Typo.")
    services.verdict_request_changes(actor=reviewer, version_id=v2.pk, comments="Not needed.")
    published_claim.refresh_from_db()
    v1.refresh_from_db()
    assert published_claim.status == "published"
    assert v1.state == VerdictState.APPROVED


def test_a_claim_not_in_research_cannot_get_a_verdict(editor):
    claim = walk_claim_to(make_claim(editor, text="Triaged only"), "triaged", actor=editor)
    with pytest.raises(ValidationError, match="researched"):
        draft_for(claim, editor, cited_evidence_ids=[])


def test_slugs_stay_unique(editor, reviewer, claim):
    published(claim, editor, reviewer)
    twin = walk_claim_to(make_claim(editor, text=claim.text), "researching", actor=editor)
    from claims import services as claim_services
    from tests.factories import SourceFactory

    claim_services.evidence_add(actor=editor, claim_id=twin.pk, source=SourceFactory(), stance="denies")
    twin = published(twin, editor, reviewer)
    assert twin.slug == f"russia-asked-china-for-military-assistance-{twin.pk}"


def test_the_migration_and_the_runtime_scale_agree():
    import importlib

    from claims.reviewing.ratings import DEFAULT_SCALE

    migration = importlib.import_module("claims.migrations.0005_default_rating_scale")
    assert migration.DEFAULT_SCALE == DEFAULT_SCALE

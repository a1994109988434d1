import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.models import ActivityEvent, ActivityVerb, Claim
from tests.factories import SourceFactory, make_claim, walk_claim_to

pytestmark = pytest.mark.django_db


def test_an_editor_logs_a_claim_and_the_activity_says_so(editor):
    claim = make_claim(editor, text="<script>alert(1)</script> The claim", tags=["Russia", "china "])
    assert claim.text == "<script>alert(1)</script> The claim"  # stored as typed
    assert claim.status == "new"
    assert sorted(t.name for t in claim.tags.all()) == ["china", "russia"]
    event = ActivityEvent.objects.get(claim=claim)
    assert (event.actor, event.verb) == (editor, ActivityVerb.LOGGED)


def test_an_outsider_cannot_log_a_claim(outsider):
    with pytest.raises(PermissionDenied):
        make_claim(outsider)
    assert not Claim.objects.exists()


def test_the_workflow_moves_forward_and_logs_every_step(editor):
    claim = walk_claim_to(make_claim(editor), "in_review", actor=editor)
    assert claim.status == "in_review"
    verbs = list(ActivityEvent.objects.filter(claim=claim).order_by("at", "id").values_list("verb", flat=True))
    assert verbs == [ActivityVerb.LOGGED, ActivityVerb.TRIAGED, ActivityVerb.STARTED_RESEARCH,
                     ActivityVerb.SUBMITTED_FOR_REVIEW]
    assert claim.revision == 4


def test_a_claim_cannot_skip_steps(editor):
    claim = make_claim(editor)
    with pytest.raises(ValidationError, match="cannot move to in review"):
        services.claim_submit_for_review(actor=editor, claim_id=claim.pk)
    claim.refresh_from_db()
    assert claim.status == "new"


def test_publishing_needs_a_submitted_verdict_written_by_someone_else(editor, reviewer):
    from claims.models import Rating, VerdictVersion
    from claims.reviewing.ratings import ensure_default_scale

    ensure_default_scale()
    claim = walk_claim_to(make_claim(editor), "in_review", actor=editor)
    with pytest.raises(ValidationError, match="approving its submitted verdict"):
        services.claim_publish(actor=reviewer, claim_id=claim.pk, version_id=0)
    version = VerdictVersion.objects.create(
        claim=claim, number=1, state="submitted", rating=Rating.objects.first(),
        headline="h", summary_md="s", author=reviewer,
    )
    with pytest.raises(PermissionDenied):  # the reviewer wrote it: two-person rule
        services.claim_publish(actor=reviewer, claim_id=claim.pk, version_id=version.pk)
    with pytest.raises(PermissionDenied):  # editors never publish
        services.claim_publish(actor=editor, claim_id=claim.pk, version_id=version.pk)
    claim.refresh_from_db()
    assert claim.status == "in_review"


def test_rejecting_needs_a_reason(editor):
    claim = make_claim(editor)
    with pytest.raises(ValidationError):
        services.claim_reject(actor=editor, claim_id=claim.pk, reason="  ")
    claim = services.claim_reject(actor=editor, claim_id=claim.pk, reason="Opinion, not a fact")
    assert (claim.status, claim.rejection_reason) == ("rejected", "Opinion, not a fact")


def test_only_editors_can_be_assigned(editor, editor2, outsider):
    claim = make_claim(editor)
    claim = services.claim_assign(actor=editor, claim_id=claim.pk, assignee=editor2)
    assert claim.assignee == editor2
    with pytest.raises(ValidationError):
        services.claim_assign(actor=editor, claim_id=claim.pk, assignee=outsider)


def test_evidence_is_searchable_and_duplicates_are_refused(editor):
    from django.contrib.postgres.search import SearchQuery

    claim = make_claim(editor)
    source = SourceFactory()
    services.evidence_add(
        actor=editor, claim_id=claim.pk, source=source, stance="denies",
        speaker="Chinese government", speaker_is_party=True, quote="pure disinformation",
    )
    with pytest.raises(services.DuplicateEvidence):
        services.evidence_add(
            actor=editor, claim_id=claim.pk, source=source, stance="denies", speaker="Chinese government"
        )
    query = SearchQuery("disinformation", config="english")
    assert Claim.objects.filter(search_vector=query).get() == claim
    assert ActivityEvent.objects.filter(claim=claim, verb=ActivityVerb.DENIAL_RECORDED).exists()

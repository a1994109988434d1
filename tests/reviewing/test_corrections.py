"""A change to a published fact-check is a correction: proposed with a note, approved by a
second person, and only then visible on the public page and in the ClaimReview JSON, listed
with its date. One reviewed path covers the verdict, the claim's fields and cited evidence."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from claims import services as claim_services
from claims.models import ActivityEvent, ActivityVerb, Claim, CorrectionChange, Evidence
from claims.reviewing import services
from tests.reviewing.conftest import draft_for

pytestmark = pytest.mark.django_db


def _propose(claim, author, *, claim_values=None, evidence_values=None, note="Corrected the claimant's title."):
    from claims.reviewing import selectors

    approved = selectors.approved_version(claim)
    version = draft_for(
        claim, author, based_on_id=approved.pk, correction_note=note,
        headline=approved.headline, summary_md=approved.summary_md,
        cited_evidence_ids=[e.pk for e in approved.cited_evidence.all()],
        claim_values=claim_values or {}, evidence_values=evidence_values or {},
    )
    return services.verdict_submit(actor=author, version_id=version.pk)


def _public(client, claim):
    client.logout()
    page = client.get(reverse("public:detail", args=[claim.slug])).content.decode()
    data = client.get(reverse("public:claimreview", args=[claim.slug])).json()
    return page, data


def test_a_claim_field_correction_goes_public_only_after_a_second_person_approves(
    client, published_claim, editor, reviewer, admin_user
):
    slug = published_claim.slug
    version = _propose(published_claim, reviewer, claim_values={"claimant": "U.S. National Security Adviser"})
    assert list(version.changes.values_list("field", "old_value", "new_value")) == [
        ("claimant", "U.S. officials", "U.S. National Security Adviser")
    ]

    # Proposed: nothing public changes yet.
    page, data = _public(client, published_claim)
    assert "National Security Adviser" not in page and "Corrected the claimant" not in page
    assert data["itemReviewed"]["author"]["name"] == "U.S. officials"
    assert "correction" not in data

    # The proposer cannot approve it, even as a reviewer.
    with pytest.raises(PermissionDenied):
        services.verdict_approve(actor=reviewer, version_id=version.pk)
    assert Claim.objects.get(pk=published_claim.pk).claimant == "U.S. officials"

    # A second person approves it: now the public page and the JSON change, with the date.
    services.verdict_approve(actor=admin_user, version_id=version.pk)
    claim = Claim.objects.get(pk=published_claim.pk)
    assert claim.claimant == "U.S. National Security Adviser" and claim.slug == slug
    page, data = _public(client, claim)
    today = timezone.now().date()
    assert "U.S. National Security Adviser" in page
    assert "Corrected the claimant&#x27;s title." in page
    assert f'datetime="{today.isoformat()}' in page and "the claimant" in page
    assert data["itemReviewed"]["author"]["name"] == "U.S. National Security Adviser"
    assert data["correction"] == [{
        "@type": "CorrectionComment", "text": "Corrected the claimant's title.",
        "datePublished": today.isoformat(),
    }]
    assert data["dateModified"] == today.isoformat()
    event = ActivityEvent.objects.get(claim=claim, verb=ActivityVerb.CLAIM_CORRECTED)
    assert event.actor == admin_user
    assert event.details["changes"] == {"claimant": {"old": "U.S. officials", "new": "U.S. National Security Adviser"}}
    assert event.details["correction_note"] == "Corrected the claimant's title."


def test_the_claim_text_and_dates_are_corrected_together(published_claim, editor, reviewer):
    version = _propose(published_claim, editor, claim_values={
        "text": "Russia asked China for military equipment.", "said_on": "2022-03-14",
        "said_url": "https://www.state.gov/briefing-2022-03-14", "said_where": "Briefing in Rome",
        "claimant": "U.S. officials", "claimant_kind": "organization",
    })
    assert sorted(version.changes.values_list("field", flat=True)) == ["said_on", "said_url", "said_where", "text"]
    services.verdict_approve(actor=reviewer, version_id=version.pk)
    claim = Claim.objects.get(pk=published_claim.pk)
    assert (claim.text, claim.said_on.isoformat(), claim.said_where) == (
        "Russia asked China for military equipment.", "2022-03-14", "Briefing in Rome")


def test_a_mis_tagged_cited_stance_is_corrected_through_review(published_claim, editor, reviewer):
    supporting = Evidence.objects.get(claim=published_claim, stance="supports")
    with pytest.raises(claim_services.EvidenceFrozen):
        claim_services.evidence_update(actor=editor, evidence_id=supporting.pk,
                                       expected_revision=supporting.revision, stance="context")
    version = _propose(published_claim, editor, evidence_values={supporting.pk: {"stance": "context"}})
    assert Evidence.objects.get(pk=supporting.pk).stance == "supports"
    services.verdict_approve(actor=reviewer, version_id=version.pk)
    assert Evidence.objects.get(pk=supporting.pk).stance == "context"
    event = ActivityEvent.objects.get(verb=ActivityVerb.EVIDENCE_CORRECTED)
    assert event.details["evidence_id"] == supporting.pk
    assert event.details["changes"] == {"stance": {"old": "supports", "new": "context"}}


def test_changes_requested_leave_the_claim_as_published(published_claim, editor, reviewer):
    version = _propose(published_claim, editor, claim_values={"claimant": "Someone else"})
    services.verdict_request_changes(actor=reviewer, version_id=version.pk, comments="Source?")
    assert Claim.objects.get(pk=published_claim.pk).claimant == "U.S. officials"


def test_a_correction_needs_its_note(published_claim, editor):
    from claims.reviewing import selectors

    approved = selectors.approved_version(published_claim)
    draft = draft_for(published_claim, editor, based_on_id=approved.pk,
                      claim_values={"claimant": "Somebody"})
    with pytest.raises(ValidationError, match="correction note"):
        services.verdict_submit(actor=editor, version_id=draft.pk)


def test_a_correction_cannot_apply_over_a_value_that_moved(published_claim, editor, reviewer):
    version = _propose(published_claim, editor, claim_values={"claimant": "Someone else"})
    Claim.objects.filter(pk=published_claim.pk).update(claimant="Changed behind our back")
    with pytest.raises(ValidationError, match="changed since this correction was proposed"):
        services.verdict_approve(actor=reviewer, version_id=version.pk)
    assert Claim.objects.get(pk=published_claim.pk).claimant == "Changed behind our back"
    assert not ActivityEvent.objects.filter(verb=ActivityVerb.CORRECTION_APPROVED).exists()


def test_an_unpublished_claim_is_edited_directly_not_by_correction(claim, editor):
    with pytest.raises(ValidationError, match="not published yet"):
        draft_for(claim, editor, claim_values={"claimant": "Someone else"})


def test_only_public_fields_can_be_proposed(published_claim, editor):
    with pytest.raises(ValidationError):
        _propose(published_claim, editor, claim_values={"priority": 4})
    with pytest.raises(ValidationError):
        _propose(published_claim, editor, claim_values={"said_url": "javascript:alert(1)"})
    assert not CorrectionChange.objects.exists()


def test_the_apply_service_refuses_anything_but_a_second_reviewer(published_claim, editor, reviewer):
    version = _propose(published_claim, editor, claim_values={"claimant": "Someone else"})
    with pytest.raises(PermissionDenied):
        claim_services.claim_apply_correction(actor=editor, claim_id=published_claim.pk, version_id=version.pk)
    assert Claim.objects.get(pk=published_claim.pk).claimant == "U.S. officials"


# --- The Verdict tab --------------------------------------------------------------------------


def _correction_form(claim, **changes):
    from claims.reviewing import selectors

    approved = selectors.approved_version(claim)
    data = {
        "rating": approved.rating_id, "headline": approved.headline, "summary_md": approved.summary_md,
        "reasoning": approved.reasoning, "cited_evidence": [e.pk for e in approved.cited_evidence.all()],
        "denial_waiver_reason": approved.denial_waiver_reason, "based_on": approved.pk,
        "correction_note": "We had the date wrong.",
        "claim_text": claim.text, "claim_claimant": claim.claimant, "claim_claimant_kind": claim.claimant_kind,
        "claim_said_url": claim.said_url, "claim_said_where": claim.said_where,
        "claim_said_on": claim.said_on.isoformat(),
    }
    for evidence in approved.cited_evidence.all():
        for name in ("stance", "speaker", "quote", "stated_where"):
            data[f"ev{evidence.pk}_{name}"] = getattr(evidence, name)
        if evidence.speaker_is_party:
            data[f"ev{evidence.pk}_speaker_is_party"] = "on"
    data.update(changes)
    return data


def test_the_correction_form_proposes_claim_and_evidence_changes(client, published_claim, editor, reviewer):
    client.force_login(editor)
    url = reverse("reviewing:verdict", args=[published_claim.pk])
    page = client.get(url).content.decode()
    assert 'id="correction"' in page and 'name="claim_claimant"' in page
    denial = Evidence.objects.get(claim=published_claim, stance="denies")
    assert f'name="ev{denial.pk}_quote"' in page
    response = client.post(url, {
        **_correction_form(published_claim, claim_said_on="2022-03-14",
                           **{f"ev{denial.pk}_quote": "These claims are pure disinformation"}),
        "action": "submit",
    })
    assert response.status_code == 302
    version = published_claim.verdict_versions.get(state="submitted")
    assert {(c.evidence_id, c.field) for c in version.changes.all()} == {(None, "said_on"), (denial.pk, "quote")}

    # The claim page shows the pending correction; the reviewer sees what it changes.
    detail = client.get(reverse("claims:claim_detail", args=[published_claim.pk])).content.decode()
    assert "awaits review" in detail and "14 Mar 2022" in detail
    client.force_login(reviewer)
    review_page = client.get(url).content.decode()
    assert "Changes to the published claim" in review_page
    assert "pure disinformation" in review_page
    client.post(reverse("reviewing:approve", args=[version.pk]), {"comments": "Checked the transcript"})
    assert Claim.objects.get(pk=published_claim.pk).said_on.isoformat() == "2022-03-14"
    assert Evidence.objects.get(pk=denial.pk).quote == "These claims are pure disinformation"


def test_a_draft_keeps_its_proposed_values(client, published_claim, editor):
    client.force_login(editor)
    url = reverse("reviewing:verdict", args=[published_claim.pk])
    client.post(url, {**_correction_form(published_claim, claim_claimant="Jake Sullivan"), "action": "save"})
    page = client.get(url).content.decode()
    assert 'value="Jake Sullivan"' in page
    assert Claim.objects.get(pk=published_claim.pk).claimant == "U.S. officials"


def test_a_hostile_url_in_the_correction_form_is_refused(client, published_claim, editor):
    client.force_login(editor)
    url = reverse("reviewing:verdict", args=[published_claim.pk])
    response = client.post(url, {**_correction_form(published_claim, claim_said_url="javascript:alert(1)"),
                                 "action": "submit"})
    assert response.status_code == 200
    assert "“javascript:” links are not allowed" in response.content.decode()
    assert not CorrectionChange.objects.exists()

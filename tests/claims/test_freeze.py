"""A published claim's public fields are frozen: the service refuses, whatever calls it, and
the claim page offers no form for them and says why."""

import json

import pytest
from django.urls import reverse

from claims import services
from claims.models import ActivityEvent, ActivityVerb, Claim
from tests.factories import SourceFactory, make_claim, publish_claim, walk_claim_to

pytestmark = pytest.mark.django_db

PUBLIC_EDITS = {
    "text": "Russia asked China for drones.",
    "claimant": "Someone else",
    "claimant_kind": "person",
    "said_url": "https://example.org/elsewhere",
    "said_where": "A different venue",
    "said_on": "2021-01-01",
}


@pytest.fixture
def published_claim(editor, reviewer):
    claim = walk_claim_to(
        make_claim(editor, said_url="https://www.state.gov/briefing", said_where="Briefing",
                   said_on="2022-03-13", tags=["war"]),
        "researching", actor=editor,
    )
    services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(), stance="denies",
                          speaker="Chinese government", speaker_is_party=True)
    return publish_claim(claim, author=editor, reviewer=reviewer)


def _public_state(claim_id):
    return Claim.objects.filter(pk=claim_id).values(*services.PUBLIC_FIELDS, "slug").get()


@pytest.mark.parametrize("field", sorted(PUBLIC_EDITS))
def test_the_service_refuses_each_public_field_of_a_published_claim(published_claim, editor, reviewer, field):
    before = _public_state(published_claim.pk)
    for actor in (editor, reviewer):
        with pytest.raises(services.ClaimFrozen, match="reviewed|reviews"):
            services.claim_update(
                actor=actor, claim_id=published_claim.pk, expected_revision=published_claim.revision,
                **{field: PUBLIC_EDITS[field]},
            )
    assert _public_state(published_claim.pk) == before
    assert not ActivityEvent.objects.filter(claim=published_claim, verb=ActivityVerb.EDITED).exists()


def test_it_refuses_the_whole_edit_not_only_the_frozen_part(published_claim, editor):
    with pytest.raises(services.ClaimFrozen):
        services.claim_update(actor=editor, claim_id=published_claim.pk,
                              expected_revision=published_claim.revision, priority=4, text="New words")
    published_claim.refresh_from_db()
    assert published_claim.priority != 4


def test_desk_details_stay_editable_and_log_old_and_new(published_claim, editor):
    updated = services.claim_update(
        actor=editor, claim_id=published_claim.pk, expected_revision=published_claim.revision,
        priority=4, tags=["war", "china"], **{k: getattr(published_claim, k) for k in services.PUBLIC_FIELDS},
    )
    assert updated.priority == 4
    event = ActivityEvent.objects.get(claim=published_claim, verb=ActivityVerb.EDITED)
    assert event.details["changes"] == {
        "priority": {"old": published_claim.priority, "new": 4},
        "tags": {"old": ["war"], "new": ["china", "war"]},
    }


def test_a_claim_in_review_is_locked_until_the_reviewer_decides(editor):
    claim = walk_claim_to(make_claim(editor), "in_review", actor=editor)
    with pytest.raises(services.ClaimFrozen, match="back to researching"):
        services.claim_update(actor=editor, claim_id=claim.pk, expected_revision=claim.revision, text="Other")
    claim = services.claim_return_to(actor=editor, claim_id=claim.pk, to_status="researching")
    services.claim_update(actor=editor, claim_id=claim.pk, expected_revision=claim.revision, text="Other")
    assert Claim.objects.get(pk=claim.pk).text == "Other"


def test_a_taken_down_claim_stays_frozen(published_claim, editor):
    services.claim_change_status(actor=editor, claim_id=published_claim.pk, to_status="in_review")
    claim = services.claim_return_to(actor=editor, claim_id=published_claim.pk, to_status="researching")
    with pytest.raises(services.ClaimFrozen, match="published"):
        services.claim_update(actor=editor, claim_id=claim.pk, expected_revision=claim.revision, claimant="X")


def test_a_published_claim_cannot_be_folded_into_another(published_claim, editor):
    other = make_claim(editor, text="Another claim")
    services.claim_change_status(actor=editor, claim_id=published_claim.pk, to_status="in_review")
    with pytest.raises(services.ValidationError, match="published"):
        services.claim_mark_duplicate(actor=editor, claim_id=published_claim.pk, original_id=other.pk)
    assert Claim.objects.get(pk=published_claim.pk).status == "in_review"


def test_an_edit_logs_the_old_and_new_value_of_every_changed_field(editor):
    claim = make_claim(editor, said_on="2022-03-13")
    services.claim_update(
        actor=editor, claim_id=claim.pk, expected_revision=claim.revision,
        claimant="U.S. State Department", said_on="2022-03-14", claimant_kind="organization",
    )
    event = ActivityEvent.objects.get(claim=claim, verb=ActivityVerb.EDITED)
    assert event.details["changes"] == {
        "claimant": {"old": "U.S. officials", "new": "U.S. State Department"},
        "said_on": {"old": "2022-03-13", "new": "2022-03-14"},
    }
    assert event.details["fields"] == ["claimant", "said_on"]


def test_a_step_back_never_publishes(published_claim, editor, reviewer):
    services.claim_change_status(actor=editor, claim_id=published_claim.pk, to_status="in_review")
    with pytest.raises(services.ValidationError):
        services.claim_return_to(actor=reviewer, claim_id=published_claim.pk, to_status="published")
    assert Claim.objects.get(pk=published_claim.pk).status == "in_review"


# --- The claim page -----------------------------------------------------------------------


def _edit_post(claim, **changes):
    data = {
        "text": claim.text, "claimant": claim.claimant, "claimant_kind": claim.claimant_kind,
        "said_url": claim.said_url, "said_where": claim.said_where,
        "said_on": claim.said_on.isoformat() if claim.said_on else "", "tags": "war",
        "priority": str(claim.priority), "revision": claim.revision,
    }
    data.update(changes)
    return data


def test_the_claim_page_offers_no_form_for_frozen_fields_and_says_why(client, published_claim, editor):
    client.force_login(editor)
    page = client.get(reverse("claims:claim_detail", args=[published_claim.pk])).content.decode()
    assert 'name="text"' not in page and 'name="claimant"' not in page and 'name="said_url"' not in page
    assert 'name="priority"' in page and 'name="tags"' in page
    assert "change only through a correction that a second person reviews" in page
    assert reverse("reviewing:verdict", args=[published_claim.pk]) + "#correction" in page


def _main(response) -> str:
    """The page's content (the layout around it carries a per-request CSRF token)."""
    page = response.content.decode()
    return page[page.index("<main"):page.index("</main>")]


def test_a_post_to_the_old_edit_url_changes_nothing_public(client, published_claim, editor):
    public_url = reverse("public:detail", args=[published_claim.slug])
    claimreview_url = reverse("public:claimreview", args=[published_claim.slug])
    public_before, json_before = _main(client.get(public_url)), client.get(claimreview_url).json()
    client.force_login(editor)
    response = client.post(
        reverse("claims:claim_edit", args=[published_claim.pk]),
        _edit_post(published_claim, text="Quietly changed wording", priority="4"),
    )
    assert response.status_code == 409
    assert "change only through a correction" in response.content.decode()
    assert _public_state(published_claim.pk)["text"] == published_claim.text
    assert Claim.objects.get(pk=published_claim.pk).priority == published_claim.priority
    client.logout()
    assert _main(client.get(public_url)) == public_before
    assert json.dumps(client.get(claimreview_url).json()) == json.dumps(json_before)


def test_the_desk_form_saves_tags_and_priority_of_a_published_claim(client, published_claim, editor):
    client.force_login(editor)
    response = client.post(
        reverse("claims:claim_edit", args=[published_claim.pk]),
        {"tags": "war, sanctions", "priority": "4", "revision": published_claim.revision},
    )
    assert response.status_code == 302
    published_claim.refresh_from_db()
    assert published_claim.priority == 4
    assert sorted(published_claim.tags.values_list("name", flat=True)) == ["sanctions", "war"]


def test_the_timeline_shows_old_and_new_values(client, editor):
    claim = make_claim(editor)
    services.claim_update(actor=editor, claim_id=claim.pk, expected_revision=claim.revision,
                          claimant="U.S. State Department")
    client.force_login(editor)
    page = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert '<del><span class="visually-hidden">was </span>U.S. officials</del>' in page
    assert '<ins><span class="visually-hidden">now </span>U.S. State Department</ins>' in page

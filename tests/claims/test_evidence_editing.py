"""Editors correct and remove evidence from the claim page. Every change keeps its before and
after; removed evidence stays as a tombstone; evidence cited by the published verdict changes
only through a correction."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims import services
from claims.models import ActivityEvent, ActivityVerb, Evidence, VerdictVersion
from claims.selectors import claim_queue
from tests.factories import SourceFactory, make_claim, publish_claim, walk_claim_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(editor):
    return walk_claim_to(make_claim(editor), "researching", actor=editor)


@pytest.fixture
def evidence(claim, editor):
    return services.evidence_add(
        actor=editor, claim_id=claim.pk, source=SourceFactory(title="Ministry transcript"),
        stance="supports", speaker="Chinese Foreign Ministry", quote="We have never heard of it",
    )


def _update(evidence, actor, **fields):
    evidence.refresh_from_db()
    return services.evidence_update(
        actor=actor, evidence_id=evidence.pk, expected_revision=evidence.revision, **fields
    )


# --- Services -----------------------------------------------------------------------------


def test_fixing_a_mis_tagged_stance_logs_old_and_new(evidence, editor2):
    updated = _update(evidence, editor2, stance="denies", speaker_is_party=True)
    assert updated.stance == "denies" and updated.is_denial
    event = ActivityEvent.objects.get(verb=ActivityVerb.EVIDENCE_EDITED)
    assert event.actor == editor2 and event.details["evidence_id"] == evidence.pk
    assert event.details["changes"] == {
        "stance": {"old": "supports", "new": "denies"},
        "speaker_is_party": {"old": False, "new": True},
    }


def test_a_stale_evidence_form_is_refused(evidence, editor, editor2):
    loaded = evidence.revision
    services.evidence_update(actor=editor, evidence_id=evidence.pk, expected_revision=loaded, quote="First")
    with pytest.raises(services.StaleEvidenceEdit) as caught:
        services.evidence_update(actor=editor2, evidence_id=evidence.pk, expected_revision=loaded, quote="Second")
    assert caught.value.current.quote == "First"


def test_a_speaker_change_cannot_duplicate_another_item(claim, evidence, editor):
    services.evidence_add(actor=editor, claim_id=claim.pk, source=evidence.source, stance="context",
                          speaker="Reuters")
    with pytest.raises(services.DuplicateEvidence):
        _update(evidence, editor, speaker="Reuters")


def test_outsiders_cannot_edit_or_remove_evidence(evidence, outsider):
    with pytest.raises(PermissionDenied):
        _update(evidence, outsider, stance="denies")
    with pytest.raises(PermissionDenied):
        services.evidence_remove(actor=outsider, evidence_id=evidence.pk, reason="x")


def test_removal_needs_a_reason_and_keeps_a_tombstone(claim, evidence, editor, editor2):
    with pytest.raises(ValidationError, match="why"):
        services.evidence_remove(actor=editor2, evidence_id=evidence.pk, reason="  ")
    removed = services.evidence_remove(actor=editor2, evidence_id=evidence.pk, reason="Wrong article")
    assert removed.removed_by == editor2 and removed.removal_reason == "Wrong article"
    assert Evidence.objects.filter(pk=evidence.pk).exists()  # never deleted
    assert list(claim.evidence.active()) == []
    event = ActivityEvent.objects.get(verb=ActivityVerb.EVIDENCE_REMOVED)
    assert event.details["reason"] == "Wrong article"
    assert event.details["quote"] == "We have never heard of it"
    row = claim_queue(user=editor, params={"q": "never heard"}).first()
    assert row is None  # its quote left the claim's search document
    again = services.evidence_remove(actor=editor, evidence_id=evidence.pk, reason="Double click")
    assert again.removal_reason == "Wrong article"
    assert ActivityEvent.objects.filter(verb=ActivityVerb.EVIDENCE_REMOVED).count() == 1


def test_a_removed_source_can_be_attached_again(claim, evidence, editor):
    services.evidence_remove(actor=editor, evidence_id=evidence.pk, reason="Wrong stance")
    again = services.evidence_add(actor=editor, claim_id=claim.pk, source=evidence.source,
                                  stance="denies", speaker=evidence.speaker)
    assert again.pk != evidence.pk
    with pytest.raises(ValidationError, match="removed"):
        _update(evidence, editor, quote="edit a tombstone")


def test_removing_evidence_drops_it_from_a_draft_verdict(claim, evidence, editor):
    from claims.models import Rating
    from claims.reviewing import services as reviewing

    draft = reviewing.verdict_save_draft(
        actor=editor, claim_id=claim.pk, rating=Rating.objects.get(label="Unproven"), headline="H",
        summary_md="S", cited_evidence_ids=[evidence.pk],
    )
    services.evidence_remove(actor=editor, evidence_id=evidence.pk, reason="Not about this claim")
    assert list(VerdictVersion.objects.get(pk=draft.pk).cited_evidence.all()) == []
    event = ActivityEvent.objects.get(verb=ActivityVerb.EVIDENCE_REMOVED)
    assert event.details["dropped_from_drafts"] == [draft.number]


@pytest.fixture
def cited(claim, evidence, editor, reviewer):
    publish_claim(claim, author=editor, reviewer=reviewer)
    evidence.refresh_from_db()
    return evidence


def test_evidence_cited_by_the_published_verdict_is_frozen(cited, editor, reviewer):
    for actor in (editor, reviewer):
        for fields in ({"stance": "denies"}, {"quote": "Changed"}, {"speaker": "Someone"},
                       {"stated_on": "2022-03-14"}, {"speaker_is_party": True}):
            with pytest.raises(services.EvidenceFrozen, match="published verdict"):
                _update(cited, actor, **fields)
        with pytest.raises(services.EvidenceFrozen, match="propose a correction"):
            services.evidence_remove(actor=actor, evidence_id=cited.pk, reason="Gone")
    _update(cited, editor, note="Called the ministry again: no change")  # the desk's own note
    cited.refresh_from_db()
    assert (cited.stance, cited.note, cited.removed_at) == ("supports", "Called the ministry again: no change", None)


# --- The claim page -------------------------------------------------------------------------


def _form(evidence, **changes):
    data = {"stance": evidence.stance, "speaker": evidence.speaker, "quote": evidence.quote,
            "stated_where": evidence.stated_where, "note": evidence.note, "revision": evidence.revision}
    data.update(changes)
    return data


def test_editing_with_a_plain_post_redirects_to_the_item(client, claim, evidence, editor):
    client.force_login(editor)
    url = reverse("claims:evidence_edit", args=[claim.pk, evidence.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="stance"' in page.content.decode()
    response = client.post(url, _form(evidence, stance="denies", speaker_is_party="on"))
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:claim_detail", args=[claim.pk]) + f"#evidence-{evidence.pk}"
    detail = client.get(response["Location"]).content.decode()
    assert "Evidence updated" in detail
    assert '<del><span class="visually-hidden">was </span>Supports</del>' in detail
    assert '<ins><span class="visually-hidden">now </span>Denies or refutes</ins>' in detail


def test_editing_with_htmx_swaps_the_list_and_focuses_the_item(client, claim, evidence, editor):
    client.force_login(editor)
    url = reverse("claims:evidence_edit", args=[claim.pk, evidence.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and f'id="evidence-edit-{evidence.pk}"' in fragment
    assert "autofocus" in fragment
    refused = client.post(url, _form(evidence, stance="nonsense"), headers={"HX-Request": "true"})
    assert refused.status_code == 200 and refused["HX-Retarget"] == f"#evidence-edit-{evidence.pk}"
    assert "errorlist" in refused.content.decode()
    saved = client.post(url, _form(evidence, stance="context"), headers={"HX-Request": "true"})
    body = saved.content.decode()
    assert saved.status_code == 200 and body.startswith('\n<div id="evidence-list"')
    assert f'id="evidence-{evidence.pk}" aria-labelledby="evidence-title-{evidence.pk}" tabindex="-1" data-focus-after-swap' in body
    assert Evidence.objects.get(pk=evidence.pk).stance == "context"


def test_a_stale_form_on_the_page_is_refused_with_409(client, claim, evidence, editor, editor2):
    client.force_login(editor)
    data = _form(evidence, quote="Mine")
    _update(evidence, editor2, quote="Theirs")
    response = client.post(reverse("claims:evidence_edit", args=[claim.pk, evidence.pk]), data)
    assert response.status_code == 409
    assert "Someone else changed this evidence" in response.content.decode()
    assert Evidence.objects.get(pk=evidence.pk).quote == "Theirs"


def test_removing_asks_for_a_reason_then_keeps_the_tombstone_in_view(client, claim, evidence, editor):
    client.force_login(editor)
    url = reverse("claims:evidence_remove", args=[claim.pk, evidence.pk])
    confirm = client.get(url).content.decode()
    assert "Why remove it?" in confirm and "Remove evidence" in confirm
    assert client.post(url, {"reason": ""}).status_code == 400
    assert Evidence.objects.get(pk=evidence.pk).removed_at is None
    response = client.post(url, {"reason": "Duplicate of the wire copy"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Removed evidence (1)" in page and "Duplicate of the wire copy" in page
    assert reverse("claims:evidence_edit", args=[claim.pk, evidence.pk]) not in page
    assert client.get(url).status_code == 404  # a tombstone has no forms


def test_removing_with_htmx_returns_the_list_and_announces_it(client, claim, evidence, editor):
    client.force_login(editor)
    response = client.post(reverse("claims:evidence_remove", args=[claim.pk, evidence.pk]),
                           {"reason": "Off topic"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert 'role="status"' in body and "Evidence removed" in body and "Removed evidence (1)" in body


def test_cited_evidence_offers_only_its_note_and_a_correction(client, claim, cited, editor):
    client.force_login(editor)
    page = client.get(reverse("claims:claim_detail", args=[claim.pk])).content.decode()
    assert "Cited by the published verdict" in page
    assert reverse("claims:evidence_remove", args=[claim.pk, cited.pk]) not in page
    form = client.get(reverse("claims:evidence_edit", args=[claim.pk, cited.pk])).content.decode()
    assert 'name="note"' in form and 'name="stance"' not in form
    assert "change only through a correction" in form
    response = client.post(reverse("claims:evidence_edit", args=[claim.pk, cited.pk]),
                           _form(cited, stance="denies"))
    assert response.status_code == 409
    removal = client.post(reverse("claims:evidence_remove", args=[claim.pk, cited.pk]), {"reason": "x"})
    assert removal.status_code == 409 and "cannot be removed" in removal.content.decode()
    cited.refresh_from_db()
    assert cited.stance == "supports" and cited.removed_at is None


@pytest.mark.parametrize("persona", ["outsider", None])
def test_evidence_forms_are_not_for_outsiders(client, claim, evidence, persona, request):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    for name in ("claims:evidence_edit", "claims:evidence_remove"):
        url = reverse(name, args=[claim.pk, evidence.pk])
        assert client.get(url).status_code in (302, 404)
        assert client.post(url, {**_form(evidence, stance="denies"), "reason": "x"}).status_code in (302, 404)
    evidence.refresh_from_db()
    assert evidence.stance == "supports" and evidence.removed_at is None


def test_an_item_of_another_claim_is_not_found(client, claim, evidence, editor):
    other = make_claim(editor, text="Another claim")
    client.force_login(editor)
    assert client.get(reverse("claims:evidence_edit", args=[other.pk, evidence.pk])).status_code == 404

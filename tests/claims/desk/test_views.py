import pytest
from django.test import Client

from claims import services
from claims.models import ActivityVerb, Claim, Evidence, Note
from tests.factories import SourceFactory, make_claim, walk_claim_to

pytestmark = pytest.mark.django_db


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_the_queue_with_counts_and_last_activity(editor, editor_client):
    claim = make_claim(editor, text="Tanks crossed the border", tags=["war"])
    services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(), stance="supports")
    services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(), stance="denies",
                          speaker="Ministry", speaker_is_party=True)
    response = editor_client.get("/")
    assert response.status_code == 200
    row = response.context["claims"][0]
    assert (row.supporting_count, row.denial_count, row.new_coverage_count) == (1, 1, 0)
    assert row.last_activity_verb == ActivityVerb.DENIAL_RECORDED and row.last_activity_actor == "erin"
    assert b"Tanks crossed the border" in response.content


def test_it_filters_by_status_assignee_tag_and_search(editor, editor2, editor_client):
    mine = make_claim(editor, text="Grain exports doubled last year", tags=["economy"])
    services.claim_assign(actor=editor, claim_id=mine.pk, assignee=editor)
    other = make_claim(editor, text="The bridge was destroyed")
    services.claim_assign(actor=editor, claim_id=other.pk, assignee=editor2)
    walk_claim_to(other, "triaged", actor=editor)

    def ids(query):
        return [c.pk for c in editor_client.get("/" + query).context["claims"]]

    assert ids("?assignee=me") == [mine.pk]
    assert ids(f"?assignee={editor2.pk}") == [other.pk]
    assert ids("?status=triaged") == [other.pk]
    assert ids("?tag=economy") == [mine.pk]
    assert ids("?q=grain+export") == [mine.pk]
    assert ids("?assignee=unassigned") == []


def test_it_highlights_search_matches_without_opening_an_xss_hole(editor, editor_client):
    make_claim(editor, text="<script>alert('x')</script> grain <b>exports</b>")
    response = editor_client.get("/?q=grain")
    html = response.content.decode()
    assert "<script>alert" not in html and "<b>exports" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>grain</mark>" in html


def test_it_escapes_claim_text_on_every_desk_page(editor, editor_client):
    claim = make_claim(editor, text="<script>alert('x')</script> bridge")
    for url in ["/", f"/claims/{claim.pk}/", "/claims/similar/?text=<script>alert bridge"]:
        html = editor_client.get(url).content.decode()
        assert "<script>alert('x')</script>" not in html, url


def test_the_queue_runs_a_constant_number_of_queries(editor, editor_client, django_assert_num_queries):
    def seed(n):
        for i in range(n):
            claim = make_claim(editor, text=f"Claim number {i}", tags=["a", "b"])
            services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(), stance="supports")

    seed(2)
    editor_client.get("/")  # warm the session
    with django_assert_num_queries(12) as small:  # the top bar's unread count, the saved views
        editor_client.get("/?per_page=25")
    seed(28)
    with django_assert_num_queries(len(small.captured_queries)):
        response = editor_client.get("/?per_page=25")
    assert len(response.context["claims"]) == 25


def test_it_paginates_and_keeps_filters_in_the_page_links(editor, editor_client):
    for i in range(27):
        make_claim(editor, text=f"Claim {i}", tags=["t"])
    response = editor_client.get("/?tag=t&per_page=25")
    assert response.context["page"].paginator.num_pages == 2
    assert b'href="?tag=t&amp;per_page=25&amp;page=2"' in response.content


def test_it_shows_an_empty_state_with_a_way_to_clear_filters(editor_client):
    response = editor_client.get("/?q=nothingmatchesthis")
    assert b"No claims match these filters" in response.content
    assert b"clear filters" in response.content


def test_bulk_actions_report_refusals(editor, editor_client):
    ready = walk_claim_to(make_claim(editor, text="Ready"), "researching", actor=editor)
    fresh = make_claim(editor, text="Fresh claim")
    response = editor_client.post(
        "/claims/bulk/", {"claims": [ready.pk, fresh.pk], "action": "status", "status": "in_review", "next": "/?sort=newest"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/?sort=newest"
    text = [str(m) for m in response.context["messages"]][0]
    assert text.startswith("1 updated; 1 refused: 'Fresh claim' new — cannot move to in review")
    assert Claim.objects.get(pk=ready.pk).status == "in_review"
    assert Claim.objects.get(pk=fresh.pk).status == "new"


def test_bulk_assign_and_priority(editor, editor2, editor_client):
    a, b = make_claim(editor, text="A"), make_claim(editor, text="B")
    editor_client.post("/claims/bulk/", {"claims": [a.pk, b.pk], "action": "assign", "assignee": editor2.pk})
    editor_client.post("/claims/bulk/", {"claims": [a.pk, b.pk], "action": "priority", "priority": "4"})
    assert set(Claim.objects.values_list("assignee_id", "priority")) == {(editor2.pk, 4)}


def test_bulk_publish_is_refused_for_editors(editor, editor_client):
    claim = walk_claim_to(make_claim(editor), "in_review", actor=editor)
    response = editor_client.post("/claims/bulk/", {"claims": [claim.pk], "action": "status", "status": "published"}, follow=True)
    assert "Only reviewers can publish" in str(list(response.context["messages"])[0])
    assert Claim.objects.get(pk=claim.pk).status == "in_review"


def test_intake_logs_a_claim_and_guards_double_submission(editor_client):
    data = {"text": "Russia asked for drones", "claimant": "Officials", "claimant_kind": "organization",
            "priority": "3", "tags": "war, Drones"}
    first = editor_client.post("/claims/new/", data)
    second = editor_client.post("/claims/new/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    claim = Claim.objects.get()
    assert sorted(claim.tags.values_list("name", flat=True)) == ["drones", "war"]


def test_intake_shows_field_errors_and_keeps_the_input(editor_client):
    response = editor_client.post("/claims/new/", {"text": "Kept text", "claimant": "", "priority": "2"})
    assert response.status_code == 400
    assert b"Kept text" in response.content and b"This field is required" in response.content


def test_intake_warns_about_similar_claims(editor, editor_client):
    existing = make_claim(editor, text="Russia asked China for military assistance in Ukraine")
    response = editor_client.get("/claims/similar/", {"text": "Russia asked China for military help"}, HTTP_HX_REQUEST="true")
    assert f"/claims/{existing.pk}/".encode() in response.content
    unrelated = editor_client.get("/claims/similar/", {"text": "Vaccines cause autism says blogger"})
    assert f"/claims/{existing.pk}/".encode() not in unrelated.content


def test_the_claim_page_shows_moves_allowed_for_the_role(editor, reviewer, editor_client):
    claim = walk_claim_to(make_claim(editor), "in_review", actor=editor)
    assert b'value="published"' not in editor_client.get(f"/claims/{claim.pk}/").content
    # Reviewers publish by approving the verdict, so no bare "publish" move is offered.
    reviewer_page = _client_for(reviewer).get(f"/claims/{claim.pk}/").content
    assert b'value="published"' not in reviewer_page
    assert b'value="researching"' in reviewer_page


def test_the_claim_page_groups_evidence_and_polls_while_fetching(editor, editor_client):
    claim = make_claim(editor)
    services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(fetch_status="pending"), stance="supports")
    services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(fetch_status="failed", fetch_error="HTTP 404"),
                          stance="denies", speaker="Kremlin", speaker_is_party=True)
    html = editor_client.get(f"/claims/{claim.pk}/").content.decode()
    assert "Denials and refutations" in html and "fetching…" in html and "fetch failed: HTTP 404" in html
    assert 'hx-trigger="every 2s"' in html
    from sources.models import Source

    Source.objects.update(fetch_status="fetched")
    fragment = editor_client.get(f"/claims/{claim.pk}/evidence/", HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in fragment and "archived" in fragment


def test_attaching_by_url_via_htmx_returns_the_form_and_the_list(editor, editor_client, no_archive):
    claim = make_claim(editor)
    url = f"/claims/{claim.pk}/evidence/url/"
    data = {"url": "https://news.example/a", "stance": "supports"}
    response = editor_client.post(url, data, HTTP_HX_REQUEST="true")
    assert b'hx-swap-oob="true"' in response.content and b"fetching" in response.content
    again = editor_client.post(url, data, HTTP_HX_REQUEST="true")
    assert b"Already attached" in again.content
    assert Evidence.objects.count() == 1


def test_attaching_by_plain_post_redirects(editor, editor_client, no_archive):
    claim = make_claim(editor)
    response = editor_client.post(f"/claims/{claim.pk}/evidence/url/", {"url": "ftp://x.example/a", "stance": "supports"})
    assert response.status_code == 400 and b"http" in response.content
    response = editor_client.post(f"/claims/{claim.pk}/evidence/url/", {"url": "https://x.example/a", "stance": "context"})
    assert response.status_code == 302


def test_recording_a_denial_by_url_or_by_hand(editor, editor_client, no_archive):
    claim = make_claim(editor)
    editor_client.post(f"/claims/{claim.pk}/denials/", {"speaker": "Kremlin", "quote": "Fake news", "url": "https://tass.example/x"})
    editor_client.post(f"/claims/{claim.pk}/denials/", {"speaker": "Beijing", "quote": "Lies", "title": "MFA briefing",
                                                         "kind": "press_conference", "stated_where": "Beijing"})
    assert Evidence.objects.filter(claim=claim, is_denial=True).count() == 2
    html = editor_client.get(f"/claims/{claim.pk}/").content.decode()
    assert "MFA briefing" in html and "Beijing" in html


def test_stale_edit_shows_a_conflict_and_keeps_the_attempt(editor, editor2):
    claim = make_claim(editor, claimant="Officials")
    first, second = _client_for(editor), _client_for(editor2)
    form = {"text": claim.text, "claimant_kind": "person", "priority": "2", "tags": "", "revision": claim.revision}
    assert first.post(f"/claims/{claim.pk}/edit/", {**form, "claimant": "Kremlin"}).status_code == 302
    response = second.post(f"/claims/{claim.pk}/edit/", {**form, "claimant": "My careful version"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this claim" in html and "Kremlin" in html and "My careful version" in html
    assert Claim.objects.get(pk=claim.pk).claimant == "Kremlin"
    # Resubmitting after seeing the conflict goes through.
    resubmit = response.context["edit_form"].data
    assert second.post(f"/claims/{claim.pk}/edit/", resubmit).status_code == 302
    assert Claim.objects.get(pk=claim.pk).claimant == "My careful version"


def test_a_duplicate_page_redirects_to_the_original(editor, editor_client):
    original, duplicate = make_claim(editor), make_claim(editor, text="Same again")
    response = editor_client.post(f"/claims/{duplicate.pk}/duplicate/", {"original": original.pk})
    assert response["Location"] == f"/claims/{original.pk}/"
    response = editor_client.get(f"/claims/{duplicate.pk}/", follow=True)
    assert response.redirect_chain[0][0] == f"/claims/{original.pk}/"
    assert "marked a duplicate" in str(list(response.context["messages"])[0])


def test_notes_and_activity_are_shown(editor, editor_client):
    claim = make_claim(editor)
    editor_client.post(f"/claims/{claim.pk}/notes/", {"body": "Call the embassy <b>now</b>"})
    assert Note.objects.filter(claim=claim).exists()
    html = editor_client.get(f"/claims/{claim.pk}/").content.decode()
    assert "Call the embassy &lt;b&gt;now&lt;/b&gt;" in html and "added a note" in html


def test_moves_and_reject_with_reason(editor, editor_client):
    claim = make_claim(editor)
    editor_client.post(f"/claims/{claim.pk}/move/", {"to": "triaged"}, follow=True)
    assert Claim.objects.get(pk=claim.pk).status == "triaged"
    response = editor_client.post(f"/claims/{claim.pk}/move/", {"to": "rejected"}, follow=True)
    assert "Say why" in str(list(response.context["messages"])[0])
    editor_client.post(f"/claims/{claim.pk}/move/", {"to": "rejected", "reason": "Opinion, not fact"})
    assert Claim.objects.get(pk=claim.pk).status == "rejected"


@pytest.mark.parametrize("method,path", [
    ("get", "/"), ("get", "/claims/new/"), ("get", "/claims/similar/?text=a+b"), ("get", "/claims/{pk}/"),
    ("get", "/claims/{pk}/evidence/"), ("post", "/claims/new/"), ("post", "/claims/bulk/"),
    ("post", "/claims/{pk}/edit/"), ("post", "/claims/{pk}/move/"), ("post", "/claims/{pk}/assign/"),
    ("post", "/claims/{pk}/duplicate/"), ("post", "/claims/{pk}/evidence/url/"),
    ("post", "/claims/{pk}/evidence/manual/"), ("post", "/claims/{pk}/denials/"), ("post", "/claims/{pk}/notes/"),
])
def test_outsiders_are_refused_everywhere(editor, outsider, method, path):
    claim = make_claim(editor)
    client = _client_for(outsider)
    response = getattr(client, method)(path.format(pk=claim.pk), {"to": "triaged", "claims": [claim.pk], "action": "priority", "priority": "4"})
    assert response.status_code in (403, 404)
    assert Claim.objects.get(pk=claim.pk).status == "new" and Claim.objects.get(pk=claim.pk).priority == 2

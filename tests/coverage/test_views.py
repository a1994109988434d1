import pytest
from django.urls import reverse

from claims.corroboration import matching
from claims.models import CoverageSuggestion, Evidence
from tests.coverage.helpers import (
    DENYING_STORY,
    MILITARY_AID_CLAIM,
    SUPPORTING_STORY,
    make_document,
)
from tests.factories import OutletFactory, make_claim

pytestmark = pytest.mark.django_db


def _coverage_url(claim):
    return reverse("coverage:claim_coverage", args=[claim.pk])


@pytest.fixture
def claim_with_coverage(editor):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    supporting = make_document(**SUPPORTING_STORY, outlet=OutletFactory(name="Reuters", domain="reuters.com"))
    denying = make_document(**DENYING_STORY, outlet=OutletFactory(name="TASS", domain="tass.com"))
    matching.documents_match(document_ids=[supporting.pk, denying.pk])
    return claim


def test_the_coverage_tab_groups_suggestions_by_stance_with_highlighted_snippets(editor_client, claim_with_coverage):
    response = editor_client.get(_coverage_url(claim_with_coverage))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Supporting") < html.index("Reuters") < html.index("Denying") < html.index("TASS")
    assert "<mark>Russia</mark>" in html
    assert 'rel="noopener noreferrer"' in html
    assert 'aria-current="page">Coverage' in html


def test_the_snippet_escapes_html_in_the_article(editor_client, editor):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    document = make_document(
        title="Russia asked China for military aid, officials confirmed",
        text="<img src=x onerror=alert(1)> Russia asked China for military assistance & aid, officials confirmed. "
        "Russia asked China for drones, the statement confirmed.",
    )
    matching.claim_match_documents(claim=claim, document_ids=[document.pk])
    assert CoverageSuggestion.objects.filter(document=document).exists()

    html = editor_client.get(_coverage_url(claim)).content.decode()

    snippet = html[html.index('suggestion__snippet'):]
    snippet = snippet[: snippet.index("</p>")]
    assert "<img" not in snippet
    assert "<mark>military</mark> <mark>assistance</mark> &amp; aid" in html


def test_highlight_escapes_everything_but_its_own_markers():
    from workbench.http import MARK_START
    from workbench.http import MARK_STOP as MARK_END
    from workbench.http import highlight_html as highlight

    raw = f"<script>x</script> {MARK_START}Russia{MARK_END} & co"
    assert highlight(raw) == "&lt;script&gt;x&lt;/script&gt; <mark>Russia</mark> &amp; co"


def test_wire_copies_are_collapsed_into_one_story(editor_client, editor):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    copies = [
        make_document(**SUPPORTING_STORY, fingerprint="wire-story-1", outlet=OutletFactory(name=name, domain=f"{name.lower()}.example"))
        for name in ("Reuters", "Guardian", "Independent")
    ]
    matching.documents_match(document_ids=[d.pk for d in copies])
    assert CoverageSuggestion.objects.filter(claim=claim).count() == 3

    html = editor_client.get(_coverage_url(claim)).content.decode()

    assert "+2 more outlets carried this story" in html
    assert html.count('class="suggestion evidence') == 1
    assert "1 story" in html


def test_accepting_without_javascript_redirects_back_with_a_message(editor_client, claim_with_coverage):
    suggestion = CoverageSuggestion.objects.get(stance="supports")

    response = editor_client.post(reverse("coverage:accept", args=[suggestion.pk]), follow=True)

    assert response.redirect_chain[-1][0] == _coverage_url(claim_with_coverage)
    assert "as evidence" in response.content.decode()
    assert Evidence.objects.filter(claim=claim_with_coverage, stance="supports").exists()


def test_accepting_twice_is_refused_clearly(editor_client, claim_with_coverage):
    suggestion = CoverageSuggestion.objects.get(stance="supports")
    editor_client.post(reverse("coverage:accept", args=[suggestion.pk]))

    response = editor_client.post(reverse("coverage:accept", args=[suggestion.pk]), HTTP_HX_REQUEST="true")

    assert "already accepted" in response.content.decode()
    assert Evidence.objects.count() == 1


def test_dismissing_with_htmx_offers_undo(editor_client, claim_with_coverage):
    suggestion = CoverageSuggestion.objects.get(stance="denies")

    response = editor_client.post(reverse("coverage:dismiss", args=[suggestion.pk]), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "Undo" in html and reverse("coverage:restore", args=[suggestion.pk]) in html
    undo = editor_client.post(reverse("coverage:restore", args=[suggestion.pk]), HTTP_HX_REQUEST="true")
    assert "Dismiss" in undo.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == "suggested"


def test_outsiders_get_404_everywhere(client, outsider, claim_with_coverage):
    client.force_login(outsider)
    suggestion = CoverageSuggestion.objects.first()
    assert client.get(_coverage_url(claim_with_coverage)).status_code == 404
    assert client.get(reverse("coverage:inbox")).status_code == 404
    assert client.post(reverse("coverage:accept", args=[suggestion.pk])).status_code == 404
    assert client.post(reverse("coverage:gather_start", args=[claim_with_coverage.pk])).status_code == 404
    assert not Evidence.objects.exists()


def test_the_coverage_tab_query_count_does_not_grow_with_suggestions(editor_client, editor, django_assert_max_num_queries):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    docs = [make_document(**SUPPORTING_STORY) for _ in range(6)] + [make_document(**DENYING_STORY) for _ in range(6)]
    matching.documents_match(document_ids=[d.pk for d in docs])
    assert CoverageSuggestion.objects.count() == 12
    editor_client.get(_coverage_url(claim))  # warm the session

    with django_assert_max_num_queries(11):  # the top bar's unread count is one
        response = editor_client.get(_coverage_url(claim))
    assert response.content.decode().count('class="suggestion evidence') == 12


def test_the_inbox_shows_only_suggestions_on_my_claims(editor_client, editor, editor2):
    from claims.services import claim_assign

    mine = claim_assign(actor=editor, claim_id=make_claim(editor, text=MILITARY_AID_CLAIM).pk, assignee=editor)
    theirs = claim_assign(
        actor=editor, claim_id=make_claim(editor, text="Russia asked China for military assistance in Ukraine.").pk,
        assignee=editor2,
    )
    document = make_document(**SUPPORTING_STORY)
    matching.documents_match(document_ids=[document.pk])
    assert CoverageSuggestion.objects.filter(claim=theirs).exists()

    response = editor_client.get(reverse("coverage:inbox"))

    html = response.content.decode()
    assert mine.text in html
    assert theirs.text not in html
    assert 'aria-current="page">New coverage' in html


def test_the_inbox_paginates(editor_client, editor, django_assert_max_num_queries):
    from claims.services import claim_assign

    claim = claim_assign(actor=editor, claim_id=make_claim(editor, text=MILITARY_AID_CLAIM).pk, assignee=editor)
    docs = [make_document(**SUPPORTING_STORY) for _ in range(30)]
    matching.documents_match(document_ids=[d.pk for d in docs])
    assert CoverageSuggestion.objects.filter(claim=claim).count() == 30
    editor_client.get(reverse("coverage:inbox"))

    with django_assert_max_num_queries(10):
        first = editor_client.get(reverse("coverage:inbox")).content.decode()
    second = editor_client.get(reverse("coverage:inbox") + "?page=2").content.decode()

    assert first.count('class="suggestion evidence') == 25
    assert second.count('class="suggestion evidence') == 5
    assert "Page 1 of 2" in first

"""The claim page's "Checked elsewhere": other publishers' fact-checks of the claim, loaded
after the page, and citing one as evidence (a refutation when it rates the claim false)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied

from claims import services
from claims.models import ActivityEvent, Evidence, Rating
from sources.factchecks.demo import seed_demo_factchecks
from sources.models import PriorFactCheck
from tests.factories import SourceFactory, make_claim, publish_claim, walk_claim_to

pytestmark = pytest.mark.django_db

WEAPONS = "China has agreed to send weapons to Russia for its war in Ukraine"
AID = "Russia asked China for military equipment and economic help"


@pytest.fixture
def prior_checks():
    from claims.reviewing.ratings import ensure_default_scale

    ensure_default_scale()
    seed_demo_factchecks()


@pytest.fixture(autouse=True)
def fresh_indexes():
    """Each test builds the similar-claims and prior-fact-check indexes it searches."""
    from claims.corroboration import index_cache, prior_checks

    index_cache.forget_indexes()
    prior_checks._cache = None
    yield
    index_cache.forget_indexes()
    prior_checks._cache = None


def _check(slug: str) -> PriorFactCheck:
    return PriorFactCheck.objects.get(url__endswith=slug)


def test_the_claim_page_loads_the_section_after_the_page_with_a_link_without_javascript(
        editor_client, editor, prior_checks, django_assert_max_num_queries):
    claim = make_claim(editor, text=WEAPONS)
    page = editor_client.get(f"/claims/{claim.pk}/").content.decode()
    url = f"/claims/{claim.pk}/checked-elsewhere/"
    assert f'hx-get="{url}" hx-trigger="load"' in page and f'<a href="{url}">' in page
    assert "Lantern Fact Check" not in page  # the main render does not rank fact-checks

    editor_client.get(url, HTTP_HX_REQUEST="true")  # builds the indexes
    # A fixed count (session, user and permissions, the claim, each index's state, the
    # matches, ratings, what the claim cites, the two vector searches), whatever the number
    # of matches.
    with django_assert_max_num_queries(17):
        fragment = editor_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'id="checked-elsewhere"' in fragment
    assert "Lantern Fact Check (demo)" in fragment and "“False”" in fragment
    assert 'class="rating-badge rating--' in fragment and "Cite as evidence" in fragment
    assert 'href="https://lanternfactcheck.example/checks/china-agreed-to-send-weapons"' in fragment

    full = editor_client.get(url).content.decode()
    assert "<html" in full and "Lantern Fact Check (demo)" in full and "Back to the claim" in full


def test_an_unrelated_claim_says_nobody_checked_it(editor_client, editor, prior_checks):
    claim = make_claim(editor, text="The city council cut the library budget by half last year.")
    html = editor_client.get(f"/claims/{claim.pk}/checked-elsewhere/", HTTP_HX_REQUEST="true").content.decode()
    assert "No other publisher's fact-check matches this claim." in html
    assert "We have not published a fact-check of a similar claim." in html


def test_our_own_published_fact_check_of_a_similar_claim_is_listed_with_our_rating(
        editor_client, editor, reviewer, prior_checks):
    published = walk_claim_to(make_claim(editor, text="Russia asked China for military assistance in Ukraine"),
                              "researching", actor=editor)
    services.evidence_add(actor=editor, claim_id=published.pk, source=SourceFactory(), stance="denies",
                          speaker="Chinese government", speaker_is_party=True, quote="Disinformation")
    publish_claim(published, author=editor, reviewer=reviewer, rating=Rating.objects.get(label="False"))
    claim = make_claim(editor, text="Russia has asked China for military assistance")

    html = editor_client.get(f"/claims/{claim.pk}/checked-elsewhere/", HTTP_HX_REQUEST="true").content.decode()
    assert f'href="/claims/{published.pk}/"' in html and "We rated it" in html and ">False</span>" in html
    own = editor_client.get(f"/claims/{published.pk}/checked-elsewhere/", HTTP_HX_REQUEST="true").content.decode()
    assert f'href="/claims/{published.pk}/"' not in own  # not its own prior fact-check


def test_citing_a_false_rating_files_a_refutation_once(editor, prior_checks):
    claim = make_claim(editor, text=WEAPONS)
    check = _check("china-agreed-to-send-weapons")

    first = services.prior_check_cite(actor=editor, claim_id=claim.pk, prior_check_id=check.pk)
    again = services.prior_check_cite(actor=editor, claim_id=claim.pk, prior_check_id=check.pk)

    assert first.created and not again.created and again.evidence == first.evidence
    evidence = Evidence.objects.active().get(claim=claim)
    assert evidence.stance == "denies" and not evidence.speaker_is_party
    assert evidence.speaker == "Lantern Fact Check (demo)" and "rated “False”" in evidence.quote
    assert evidence.source.url == check.url and evidence.source.fetch_status == "pending"
    assert ActivityEvent.objects.filter(claim=claim, verb="evidence_added").count() == 1


def test_citing_an_unproven_rating_files_context(editor, prior_checks):
    claim = make_claim(editor, text=AID)
    cited = services.prior_check_cite(actor=editor, claim_id=claim.pk,
                                      prior_check_id=_check("russia-asked-china-military-aid").pk)
    assert cited.evidence.stance == "context"


@pytest.mark.parametrize("rating", ["Mostly false", "Misleading"])
def test_mostly_false_and_misleading_are_refutations_too(editor, rating):
    check = PriorFactCheck.objects.create(url="https://checkers.example/x", fingerprint="a" * 64,
                                          publisher="Checkers", claim_reviewed=WEAPONS,
                                          textual_rating=rating, normalised_rating=rating, origin="feed")
    claim = make_claim(editor, text=WEAPONS)
    assert services.prior_check_cite(actor=editor, claim_id=claim.pk,
                                     prior_check_id=check.pk).evidence.stance == "denies"


def test_the_service_refuses_outsiders_and_published_claims(editor, reviewer, outsider, prior_checks):
    check = _check("china-agreed-to-send-weapons")
    claim = make_claim(editor, text=WEAPONS)
    with pytest.raises(PermissionDenied):
        services.prior_check_cite(actor=outsider, claim_id=claim.pk, prior_check_id=check.pk)

    claim = walk_claim_to(claim, "researching", actor=editor)
    services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(), stance="denies",
                          speaker="Chinese government", speaker_is_party=True, quote="Untrue")
    publish_claim(claim, author=editor, reviewer=reviewer)
    with pytest.raises(services.ClaimFrozen, match="published"):
        services.prior_check_cite(actor=editor, claim_id=claim.pk, prior_check_id=check.pk)
    assert Evidence.objects.filter(claim=claim, source__url=check.url).count() == 0


def test_citing_with_a_plain_post_redirects_and_says_already_cited_the_second_time(
        editor_client, editor, prior_checks):
    claim = make_claim(editor, text=WEAPONS)
    check = _check("china-agreed-to-send-weapons")
    url = f"/claims/{claim.pk}/checked-elsewhere/cite/"

    response = editor_client.post(url, {"prior_check": check.pk}, follow=True)
    assert response.redirect_chain[-1][0] == f"/claims/{claim.pk}/"
    assert "Cited as evidence (denies or refutes)." in response.content.decode()
    again = editor_client.post(url, {"prior_check": check.pk,
                                     "next": f"/claims/{claim.pk}/checked-elsewhere/"}, follow=True)
    assert again.redirect_chain[-1][0] == f"/claims/{claim.pk}/checked-elsewhere/"
    html = again.content.decode()
    assert "Already cited" in html and "Cited as evidence</span>" in html
    assert Evidence.objects.filter(claim=claim).count() == 1


def test_citing_with_htmx_swaps_the_section_the_evidence_and_the_activity(editor_client, editor, prior_checks):
    claim = make_claim(editor, text=WEAPONS)
    check = _check("china-agreed-to-send-weapons")
    html = editor_client.post(f"/claims/{claim.pk}/checked-elsewhere/cite/", {"prior_check": check.pk},
                              HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and 'id="checked-elsewhere"' in html and "Cited as evidence (denies" in html
    assert re.search(r'id="evidence-list"[^>]*hx-swap-oob="true"', html)
    assert re.search(r'id="activity"[^>]*hx-swap-oob="true"', html)
    assert html.count('hx-swap-oob="true"') == 2
    assert "Lantern Fact Check (demo): China has agreed" in html  # the new item in the list


def test_a_bad_or_missing_fact_check_is_a_clear_error(editor_client, editor):
    claim = make_claim(editor, text=WEAPONS)
    response = editor_client.post(f"/claims/{claim.pk}/checked-elsewhere/cite/", {"prior_check": "999999"},
                                  HTTP_HX_REQUEST="true")
    assert "That fact-check is no longer on record." in response.content.decode()
    response = editor_client.post(f"/claims/{claim.pk}/checked-elsewhere/cite/", {"prior_check": "x"}, follow=True)
    assert "Choose a fact-check to cite." in response.content.decode()
    assert not Evidence.objects.filter(claim=claim).exists()


@pytest.mark.parametrize("persona, status", [("editor", 302), ("reviewer", 302), ("outsider", 404),
                                             ("anonymous", 404)])
def test_who_may_see_and_cite(client, request, editor, persona, status, prior_checks):
    claim = make_claim(editor, text=WEAPONS)
    check = _check("china-agreed-to-send-weapons")
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    page = client.get(f"/claims/{claim.pk}/checked-elsewhere/", HTTP_HX_REQUEST="true")
    response = client.post(f"/claims/{claim.pk}/checked-elsewhere/cite/", {"prior_check": check.pk})
    if status == 404:
        assert page.status_code in (302, 404) and response.status_code in (302, 404)
        assert not response.headers.get("Location", "").startswith(f"/claims/{claim.pk}")
        assert not Evidence.objects.filter(claim=claim).exists()
    else:
        assert page.status_code == 200 and response.status_code == 302
        assert Evidence.objects.filter(claim=claim).count() == 1


def test_a_published_claim_shows_no_cite_button(editor_client, editor, reviewer, prior_checks):
    claim = walk_claim_to(make_claim(editor, text=WEAPONS), "researching", actor=editor)
    services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(), stance="denies",
                          speaker="Chinese government", speaker_is_party=True, quote="Untrue")
    publish_claim(claim, author=editor, reviewer=reviewer)
    html = editor_client.get(f"/claims/{claim.pk}/checked-elsewhere/", HTTP_HX_REQUEST="true").content.decode()
    assert "Lantern Fact Check (demo)" in html and "Cite as evidence" not in html

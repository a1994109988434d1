"""Intake: "checked elsewhere?" shows other publishers' fact-checks of what is being typed,
with their rating and ours, and a claim we already published shows how we rated it."""

from __future__ import annotations

import pytest

from sources.factchecks.demo import seed_demo_factchecks
from sources.models import PriorFactCheck
from tests.factories import SourceFactory, make_claim, publish_claim, walk_claim_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def prior_checks():
    from claims.reviewing.ratings import ensure_default_scale

    ensure_default_scale()
    seed_demo_factchecks()


def test_typing_the_aid_claim_shows_the_demo_fact_checkers_rating(editor_client, prior_checks):
    response = editor_client.get("/claims/similar/", {"text": "Russia asked China for military equipment"},
                                 HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Lantern Fact Check (demo)" in html and "“Unproven”" in html
    assert 'class="rating-badge rating--' in html  # on our scale, in our colours
    assert 'href="https://lanternfactcheck.example/checks/russia-asked-china-military-aid"' in html
    assert 'rel="noopener noreferrer nofollow"' in html

    unrelated = editor_client.get("/claims/similar/", {"text": "Vaccines cause autism says blogger"}).content.decode()
    assert "Lantern Fact Check" not in unrelated and "Prior fact-checks by other publishers" in unrelated


def test_the_full_intake_form_shows_them_too_when_it_comes_back_with_errors(editor_client, prior_checks):
    response = editor_client.post("/claims/new/", {"text": "China has agreed to send weapons to Russia",
                                                   "claimant": "", "priority": "2"})
    assert response.status_code == 400
    assert "“False”" in response.content.decode()


def test_a_prior_check_with_a_bad_url_is_shown_as_text_and_script_stays_text(editor_client):
    PriorFactCheck.objects.create(url="https://checkers.example/1", fingerprint="f" * 64, publisher="<b>Desk</b>",
                                  claim_reviewed="Russia asked China for drones <script>alert(1)</script>",
                                  textual_rating="False", normalised_rating="False", origin="feed")
    html = editor_client.get("/claims/similar/", {"text": "Russia asked China for drones"}).content.decode()
    assert "&lt;b&gt;Desk&lt;/b&gt;" in html and "<script>alert(1)" not in html


def test_our_own_published_fact_check_says_how_we_rated_it(editor, reviewer, editor_client, prior_checks):
    from claims import services
    from claims.models import Rating

    claim = walk_claim_to(make_claim(editor, text="Russia asked China for military assistance in Ukraine"),
                          "researching", actor=editor)
    services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(url="https://news.example/denial"),
                          stance="denies", speaker="Chinese government", speaker_is_party=True,
                          quote="These claims are disinformation")
    publish_claim(claim, author=editor, reviewer=reviewer, rating=Rating.objects.get(label="False"))
    html = editor_client.get("/claims/similar/", {"text": "Russia asked China for military help"}).content.decode()
    assert f"/claims/{claim.pk}/" in html
    assert "we rated it" in html and ">False</span>" in html

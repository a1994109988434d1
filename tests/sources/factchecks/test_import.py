"""Importing prior fact-checks from a local server: a ClaimReview feed (paginated like our
own), a page with JSON-LD, a page with two ClaimReviews, malformed JSON-LD, a page with none,
and hostile URLs refused before any connection."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from sources.factchecks.services import FactCheckImportFailed, factchecks_import
from sources.models import PriorFactCheck, RatingMapping

pytestmark = pytest.mark.django_db

AID_CLAIM = "Russia asked China for military equipment for the war in Ukraine."


def review(n: int, *, rating: str = "False", claim: str = AID_CLAIM, **extra) -> dict:
    return {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "url": f"https://checkers.example/checks/{n}",
        "claimReviewed": claim,
        "datePublished": "2022-03-16",
        "inLanguage": "en",
        "author": {"@type": "Organization", "name": "Example Checkers", "url": "https://checkers.example/"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "U.S. officials"},
                         "datePublished": "2022-03-14"},
        "reviewRating": {"@type": "Rating", "alternateName": rating, "ratingValue": 1, "bestRating": 5,
                         "worstRating": 1},
        **extra,
    }


def page(*blocks: str) -> str:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return f"<html><head><title>Fact check</title>{scripts}</head><body><p>Text</p></body></html>"


@pytest.fixture
def loopback(settings, web_server):
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    return web_server


def test_a_paginated_claimreview_feed_is_followed_and_each_review_normalised(loopback):
    second = loopback.add_route("/feed-2.json", json.dumps({"results": [review(3, rating="Mostly True")],
                                                            "next": None}), "application/json")
    first = loopback.add_route("/feed.json", json.dumps({
        "results": [review(1), review(2, rating="Pants on Fire!", claim="Beijing sent drones.")],
        "next": second,
    }), "application/json")

    report = factchecks_import(url=first)

    assert (report.added, report.updated, report.refused, report.pages) == (3, 0, [], 2)
    one = PriorFactCheck.objects.get(url="https://checkers.example/checks/1")
    assert (one.publisher, one.claimant, str(one.claim_date), one.textual_rating, one.normalised_rating,
            one.origin, one.imported_from, one.language) == (
        "Example Checkers", "U.S. officials", "2022-03-14", "False", "False", "feed", first, "en")
    assert PriorFactCheck.objects.get(url__endswith="/2").normalised_rating == "False"
    assert PriorFactCheck.objects.get(url__endswith="/3").normalised_rating == "Mostly true"


def test_importing_again_updates_in_place_and_counts_what_did_not_change(loopback):
    url = loopback.add_route("/feed.json", json.dumps([review(1), review(2)]), "application/json")
    factchecks_import(url=url)
    loopback.add_route("/feed.json", json.dumps([review(1, rating="Misleading"), review(2)]), "application/json")

    report = factchecks_import(url=url)

    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    assert PriorFactCheck.objects.count() == 2
    assert PriorFactCheck.objects.get(url__endswith="/1").normalised_rating == "Misleading"


def test_a_page_with_two_claimreviews_and_one_without_a_url_gives_two_rows(loopback):
    url = loopback.add_route("/check", page(json.dumps({"@graph": [
        review(1, url=None), review(1, claim="China agreed to supply weapons.", url=None),
    ]})))
    report = factchecks_import(url=url)
    assert report.added == 2
    rows = PriorFactCheck.objects.order_by("claim_reviewed")
    assert [r.url for r in rows] == [url, url]  # the page stands in for a missing URL
    assert {r.origin for r in rows} == {"page"}


def test_malformed_json_ld_is_reported_and_the_good_block_still_counts(loopback):
    url = loopback.add_route("/check", page('{"@type": "ClaimReview", "claimReviewed": ', json.dumps(review(5))))
    report = factchecks_import(url=url)
    assert report.added == 1
    assert len(report.refused) == 1 and report.refused[0][0] == "JSON-LD block 1"
    assert "not valid JSON" in report.refused[0][1]


def test_a_page_without_claimreview_and_reviews_missing_what_we_need_are_refused_with_reasons(loopback):
    none = loopback.add_route("/plain", page(json.dumps({"@type": "NewsArticle", "headline": "Aid"})))
    assert factchecks_import(url=none).refused == [("the page", "it has no ClaimReview in its JSON-LD")]

    bad = loopback.add_route("/bad.json", json.dumps([
        review(1, claimReviewed=""), review(2, url="javascript:alert(1)"),
        review(3, author={}), review(4, claimReviewed="<script>alert(1)</script>Aid <b>was</b> sent"),
    ]), "application/json")
    report = factchecks_import(url=bad)
    reasons = [why for _, why in report.refused]
    assert "it names no claim (claimReviewed)" in reasons
    assert any("is not a web address" in why for why in reasons)
    assert report.added == 2
    # No author: the publisher is the site the review is on.
    assert PriorFactCheck.objects.get(url__endswith="/3").publisher == "checkers.example"
    # Text without markup, and never the content of a script.
    assert PriorFactCheck.objects.get(url__endswith="/4").claim_reviewed == "Aid was sent"


def test_a_publisher_given_to_the_importer_names_reviews_that_name_none(loopback):
    url = loopback.add_route("/feed.json", json.dumps([review(3, author={})]), "application/json")
    assert factchecks_import(url=url, publisher="Desk Partner").added == 1
    assert PriorFactCheck.objects.get().publisher == "Desk Partner"


def test_the_admins_mapping_wins_over_the_defaults(loopback):
    RatingMapping.objects.create(textual_rating="false", publisher="Example Checkers", normalised_rating="Misleading")
    url = loopback.add_route("/feed.json", json.dumps([review(1)]), "application/json")
    factchecks_import(url=url)
    assert PriorFactCheck.objects.get().normalised_rating == "Misleading"


def test_the_command_prints_counts_and_refusals(loopback, capsys):
    url = loopback.add_route("/feed.json", json.dumps([review(1), review(2, claimReviewed="")]), "application/json")
    call_command("factchecks_import", url)
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Added 1, updated 0, unchanged 0, refused 1 (from 1 page)."
    assert "refused: the feed, ClaimReview 2: it names no claim (claimReviewed)" in out


def test_a_feed_that_is_not_json_and_a_failed_fetch(loopback):
    url = loopback.add_route("/broken.json", "{not json", "application/json")
    assert "not valid JSON" in factchecks_import(url=url).refused[0][1]
    with pytest.raises(FactCheckImportFailed, match="404"):
        factchecks_import(url=loopback.url("/status/404"))


@pytest.mark.parametrize("url", [
    "http://10.0.0.8/feed.json", "http://169.254.169.254/latest/meta-data/", "http://192.168.1.1/x",
    "file:///etc/passwd", "ftp://checkers.example/feed.json",
])
def test_hostile_urls_are_refused_by_the_address_check_without_connecting(url):
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("factchecks_import", url)
    assert not PriorFactCheck.objects.exists()


def test_a_fact_check_tools_feed_keeps_each_publishers_rating(settings, web_server):
    from sources.feeds import feed_add, feed_poll

    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    settings.FACTCHECK_API_URL = web_server.url("/factcheck/claims:search")
    settings.GOOGLE_FACTCHECK_API_KEY = "test-key"
    feed = feed_add(kind="factcheck", query="russia china")

    assert feed_poll(feed_id=feed.pk).status == "succeeded"

    verify = PriorFactCheck.objects.get(url="https://verifydesk.example/checks/china-drones-march")
    assert (verify.publisher, verify.claim_reviewed, verify.claimant, verify.textual_rating,
            verify.normalised_rating, verify.origin) == (
        "Verify Desk", "China supplied drones to Russia in March 2022.", "Social media posts", "False",
        "False", "google")
    german = PriorFactCheck.objects.get(url="https://faktencheck-nord.example.de/russland-china")
    assert (german.textual_rating, german.normalised_rating, german.language) == ("Unbelegt", "Unproven", "de")
    feed_poll(feed_id=feed.pk)  # polled again: the same rows
    assert PriorFactCheck.objects.filter(url=german.url).count() == 1


def test_a_claimreview_feed_is_polled_like_a_news_feed_and_keeps_the_ratings(loopback):
    from sources.feeds import feed_add, feed_poll
    from sources.models import Document

    url = loopback.add_route("/checks.json", json.dumps({"results": [
        review(1), review(2, rating="Half true", claim="Beijing sent drones."), review(3, claimReviewed=""),
    ]}), "application/json")
    feed = feed_add(url=url, kind="claimreview")

    poll = feed_poll(feed_id=feed.pk)

    assert poll.status == "succeeded" and poll.items_new == 2
    assert any("ClaimReview 3: it names no claim" in problem for problem in poll.problems)
    assert Document.objects.filter(canonical_url="https://checkers.example/checks/1").exists()
    rows = {r.url.rsplit("/", 1)[-1]: r for r in PriorFactCheck.objects.all()}
    assert (rows["1"].normalised_rating, rows["1"].origin, rows["1"].rating_value, rows["1"].best_rating) == (
        "False", "feed", 1.0, 5.0)
    assert rows["2"].normalised_rating == "Half true"

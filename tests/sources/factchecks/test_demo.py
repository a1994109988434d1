"""The demo newsroom's fictional fact-checker: its ClaimReview feed is served by the app in
debug mode, reads back through the parser, and seed_demo records it once."""

from __future__ import annotations

import pytest

from sources.factchecks.demo import DEMO_CLAIMREVIEWS, seed_demo_factchecks
from sources.factchecks.parsing import claimreviews_from_json
from sources.models import Feed, PriorFactCheck

pytestmark = pytest.mark.django_db


def test_the_feed_is_served_in_debug_only_and_parses(client, settings):
    settings.DEBUG = False
    assert client.get("/demo-feed/claimreview.json").status_code == 404
    settings.DEBUG = True
    response = client.get("/demo-feed/claimreview.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    parsed = claimreviews_from_json(response.content.decode(), url="http://testserver/demo-feed/claimreview.json")
    assert parsed.refused == [] and len(parsed.reviews) == len(DEMO_CLAIMREVIEWS) == 3


def test_seeding_records_them_once_with_ratings_on_our_scale():
    feed, report = seed_demo_factchecks()
    again_feed, again = seed_demo_factchecks()
    assert (report.added, again.added, again.unchanged) == (3, 0, 3)
    assert report.summary() == "Added 3, updated 0, unchanged 0, refused 0 (from 1 page)."
    assert again_feed == feed and feed.kind == "claimreview" and Feed.objects.filter(kind="claimreview").count() == 1
    ratings = dict(PriorFactCheck.objects.values_list("textual_rating", "normalised_rating"))
    assert ratings == {"Unproven": "Unproven", "False": "False", "Unbelegt": "Unproven"}
    assert set(PriorFactCheck.objects.values_list("publisher", flat=True)) == {"Lantern Fact Check (demo)"}

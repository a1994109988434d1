"""The whole pipeline on a real worker, from a real feed poll: feed -> documents ->
suggestions (a denial among them) -> accepted evidence -> archived snapshots.

Stance quality is measured elsewhere (``stance_eval``, ``test_stance_product.py``); here the
confirmation's label is whatever the model says (the full head reads "..., officials
confirmed" as discuss at 0.70, the lexical head as agree), and the test follows it through."""

import pytest

from claims.corroboration import services
from claims.models import CoverageSuggestion, Evidence
from sources.feeds import feed_add
from sources.models import Document, FeedPoll, Snapshot
from sources.tasks.feeds import feed_poll_task
from tests.conftest import wait_for
from tests.coverage.helpers import MILITARY_AID_CLAIM
from tests.factories import make_claim

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTICLES = {
    "/news/aid-confirmed": (
        "Russia asked China for military assistance, officials confirmed",
        "Russia asked China for military assistance and drones, U.S. officials confirmed.",
    ),
    "/news/aid-fake": (
        "Fake: Russia did not ask China for military assistance",
        "FAKE: Russia did NOT ask China for military assistance. The rumour is untrue and was debunked.",
    ),
}


@pytest.fixture
def news_site(web_server, settings):
    """Set before the worker starts, so the worker may fetch from this local server."""
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    items = []
    for path, (title, lede) in ARTICLES.items():
        url = web_server.add_route(
            path, f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{lede}</p></article></body></html>", "text/html; charset=utf-8", 200,
        )
        items.append(f"<item><title>{title}</title><link>{url}</link><description>{lede}</description></item>")
    feed_url = web_server.add_route(
        "/feed.xml", "<?xml version='1.0'?><rss version='2.0'><channel><title>Local news</title>"
        + "".join(items) + "</channel></rss>", "application/rss+xml", 200,
    )
    return feed_url


def test_a_feed_poll_ends_in_accepted_archived_evidence(news_site, live_worker, editor):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    feed = feed_add(url=news_site, kind="rss")

    feed_poll_task.delay(feed.pk)

    wait_for(lambda: CoverageSuggestion.objects.filter(claim=claim).count() == 2, timeout=120,
             message=f"no suggestions; worker log:\n{live_worker.log()}")
    assert FeedPoll.objects.get(feed=feed).status == "succeeded"
    assert Document.objects.count() == 2
    stances = dict(CoverageSuggestion.objects.values_list("document__title", "stance"))
    assert stances["Fake: Russia did not ask China for military assistance"] == "denies"
    assert stances["Russia asked China for military assistance, officials confirmed"] in (
        "supports", "discusses")

    for suggestion in CoverageSuggestion.objects.all():
        services.suggestion_accept(actor=editor, suggestion_id=suggestion.pk)

    # The semantic pass may relabel an undecided suggestion until it is accepted, never after:
    # the evidence carries each accepted suggestion's stance.
    accepted = sorted(services.EVIDENCE_STANCE[stance]
                      for stance in CoverageSuggestion.objects.values_list("stance", flat=True))
    assert sorted(Evidence.objects.filter(claim=claim).values_list("stance", flat=True)) == accepted
    assert "denies" in accepted
    wait_for(lambda: Snapshot.objects.count() == 2, timeout=120,
             message=f"pages not archived; worker log:\n{live_worker.log()}")
    assert not Evidence.objects.filter(claim=claim).exclude(source__fetch_status="fetched").exists()

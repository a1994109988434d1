"""The whole pipeline with a real Celery worker: stored feed items -> documents_match (sent by
name, as the feeds poller sends it) -> suggestions -> accepted evidence; and gather-now."""

import pytest
from celery import current_app

from claims.corroboration import services
from claims.corroboration.gathering import documents_store
from claims.models import CoverageSuggestion, Evidence, GatherRun
from sources.connectors import FeedItem
from tests.conftest import wait_for
from tests.coverage.helpers import MILITARY_AID_CLAIM
from tests.factories import make_claim

# serialized_rollback: the roles (groups and permissions) come from data migrations and
# would be gone after an earlier transactional test flushed the database.
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def gdelt_env(settings, web_server, monkeypatch):
    """Set before the worker starts, so the worker process inherits it."""
    monkeypatch.setenv("GDELT_API_URL", web_server.url("/gdelt/api"))
    settings.GDELT_API_URL = web_server.url("/gdelt/api")
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    return web_server


def test_feed_items_become_suggestions_and_accepted_evidence(live_worker, editor, settings):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    items = [
        FeedItem(url="https://www.ledger.example/world/aid", title="Russia asked China for military assistance, officials confirmed",
                 summary="Russia asked China for military assistance and drones, U.S. officials confirmed.",
                 outlet_name="The Ledger", outlet_domain="ledger.example"),
        FeedItem(url="https://www.wire.example/fake-claim", title="Fake: Russia did not ask China for military assistance",
                 summary="FAKE: Russia did NOT ask China for military assistance. The rumour is untrue and was debunked.",
                 outlet_name="Wire", outlet_domain="wire.example"),
    ]
    ids = documents_store(items)

    current_app.send_task(settings.COVERAGE_MATCH_TASK, args=[ids], queue=live_worker.queue)

    wait_for(lambda: CoverageSuggestion.objects.filter(claim=claim).count() == 2, timeout=90,
             message=f"no suggestions; worker log:\n{live_worker.log()}")
    stances = dict(CoverageSuggestion.objects.values_list("document__outlet__name", "stance"))
    assert stances["Wire"] == "denies"
    # The lexical head reads "..., officials confirmed" as agree, the full head (the semantic
    # pass, which may run first or relabel it until it is accepted) as discuss.
    assert stances["The Ledger"] in ("supports", "discusses")
    for suggestion in CoverageSuggestion.objects.all():
        services.suggestion_accept(actor=editor, suggestion_id=suggestion.pk)
    # Never relabelled once accepted: the evidence carries the accepted suggestion's stance.
    accepted = {(services.EVIDENCE_STANCE[stance], outlet) for stance, outlet in
                CoverageSuggestion.objects.values_list("stance", "document__outlet__name")}
    assert set(Evidence.objects.filter(claim=claim).values_list("stance", "speaker")) == accepted
    assert ("denies", "Wire") in accepted


def test_gather_now_runs_on_a_real_worker(gdelt_env, live_worker, editor, settings):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)

    run, _ = services.gather_run_start(actor=editor, claim_id=claim.pk)

    wait_for(lambda: GatherRun.objects.filter(pk=run.pk, status="done").exists(), timeout=90,
             message=f"run not done; worker log:\n{live_worker.log()}")
    assert CoverageSuggestion.objects.filter(
        claim=claim, document__canonical_url="https://www.ledger.example/world/russia-china-aid"
    ).exists()

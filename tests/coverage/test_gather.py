import pytest
from django.urls import reverse

from claims.corroboration import services
from claims.corroboration.gathering import gather_run_execute
from claims.models import CoverageSuggestion, GatherRun
from sources.models import Document
from tests.coverage.helpers import DENYING_STORY, MILITARY_AID_CLAIM, make_document
from tests.factories import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def gdelt(settings, web_server):
    settings.GDELT_API_URL = web_server.url("/gdelt/api")
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    settings.FETCH_READ_TIMEOUT = 2
    return web_server


def test_it_gathers_stored_coverage_and_gdelt_results_as_suggestions(gdelt, editor):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    stored = make_document(**DENYING_STORY)
    run, created = services.gather_run_start(actor=editor, claim_id=claim.pk)

    gather_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert created and run.status == "done" and run.error == ""
    assert run.started_at and run.finished_at
    stances = dict(CoverageSuggestion.objects.filter(claim=claim).values_list("document__canonical_url", "stance"))
    assert stances[stored.canonical_url] == "denies"
    # "U.S. says Russia asked China for military aid; Beijing denies it": both sides in one
    # headline, so any stance is defensible; it must be found.
    assert "https://www.ledger.example/world/russia-china-aid" in stances
    # A French denial from the search API is found through its embedding.
    assert stances["https://nouvelles.example.fr/monde/pekin-dement"] == "denies"
    assert run.suggestions_added == len(stances)
    assert run.documents_checked >= 4  # the stored one and three GDELT articles
    assert Document.objects.get(canonical_url="https://www.ledger.example/world/russia-china-aid").outlet.domain == "ledger.example"
    assert "Russia" in gdelt.requests[-1].query["query"][0]


def test_gathering_twice_adds_nothing_new(gdelt, editor):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    first, _ = services.gather_run_start(actor=editor, claim_id=claim.pk)
    gather_run_execute(run_id=first.pk)
    count = CoverageSuggestion.objects.count()

    second, created = services.gather_run_start(actor=editor, claim_id=claim.pk)
    gather_run_execute(run_id=second.pk)

    second.refresh_from_db()
    assert created and second.suggestions_added == 0
    assert CoverageSuggestion.objects.count() == count


def test_a_failing_connector_is_shown_on_the_run_not_a_crash(gdelt, editor):
    gdelt.add_route("/gdelt/api", b"Your search was too short.", "text/plain; charset=utf-8")
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    run, _ = services.gather_run_start(actor=editor, claim_id=claim.pk)

    gather_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == "done"
    assert "GDELT could not be searched" in run.error and "too short" in run.error


def test_a_finished_run_is_not_run_again(gdelt, editor):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    run, _ = services.gather_run_start(actor=editor, claim_id=claim.pk)
    gather_run_execute(run_id=run.pk)
    requests = len(gdelt.requests)

    gather_run_execute(run_id=run.pk)

    assert len(gdelt.requests) == requests


def test_the_gather_button_shows_progress_and_a_double_click_reuses_the_run(editor_client, editor):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    url = reverse("coverage:gather_start", args=[claim.pk])

    first = editor_client.post(url, HTTP_HX_REQUEST="true").content.decode()
    second = editor_client.post(url, HTTP_HX_REQUEST="true").content.decode()

    run = GatherRun.objects.get()
    progress_url = reverse("coverage:gather_progress", args=[claim.pk, run.pk])
    assert 'hx-trigger="every 1s"' in first and progress_url in first and progress_url in second
    assert "Gathering…" in first


def test_the_gather_button_without_javascript_redirects_with_the_status(editor_client, editor):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)

    response = editor_client.post(reverse("coverage:gather_start", args=[claim.pk]), follow=True)

    html = response.content.decode()
    assert "Gathering coverage is queued." in html and "Gathering…" in html


def test_progress_stops_polling_and_refreshes_suggestions_when_done(gdelt, editor_client, editor):
    claim = make_claim(editor, text=MILITARY_AID_CLAIM)
    run, _ = services.gather_run_start(actor=editor, claim_id=claim.pk)
    gather_run_execute(run_id=run.pk)

    response = editor_client.get(reverse("coverage:gather_progress", args=[claim.pk, run.pk]), HTTP_HX_REQUEST="true")

    assert response["HX-Trigger"] == "coverage-updated"
    assert "every 1s" not in response.content.decode()
    assert "Last gathered" in response.content.decode()

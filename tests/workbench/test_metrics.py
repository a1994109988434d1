"""/metrics: Prometheus text format, parsed by Prometheus's own parser; closed unless configured."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from claims.models import Claim, CoverageSuggestion
from sources.fetching import FetchRefused, fetch
from sources.models import Document, Feed

pytestmark = pytest.mark.django_db

TOKEN = "scrape-secret-for-tests"


def _scrape(client, **headers) -> dict:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/plain; version=")
    families = {}
    for family in text_string_to_metric_families(response.content.decode()):
        families[family.name] = family
    return families


def _fetch_errors(client, reason: str) -> float:
    found = _samples(_scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").get("factdesk_fetch_errors"), reason=reason)
    return found[0].value if found else 0


def _samples(family, **labels) -> list:
    if family is None:
        return []
    return [s for s in family.samples if all(s.labels.get(k) == v for k, v in labels.items())]


def test_it_is_off_until_a_token_or_an_allow_list_is_set(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ""
    assert client.get("/metrics").status_code == 404


def test_a_token_is_required_when_set(client, settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = ""
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_an_allow_list_admits_its_addresses_only(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = "10.1.0.0/16, 127.0.0.1"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.2.0.1").status_code == 403


def test_the_scrape_has_latency_by_view_feeds_suggestions_fetch_errors_and_queues(
        client, editor_client, editor, settings):
    settings.METRICS_TOKEN = TOKEN
    editor_client.get("/dashboard/")
    claim = Claim.objects.create(text="x", claimant="y", created_by=editor)
    document = Document.objects.create(canonical_url="https://news.example/1", title="One")
    CoverageSuggestion.objects.create(claim=claim, document=document, relevance=0.9, stance="denies",
                                      stance_confidence=0.8)
    Feed.objects.create(url="https://feeds.example/a.xml", consecutive_failures=3)
    refused_before = _fetch_errors(client, "private_address")
    with pytest.raises(FetchRefused):
        fetch("http://10.0.0.1/")  # refused by the address check: no connection is made
    families = _scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    latency = families["factdesk_http_request_duration_seconds"]
    assert _samples(latency, view="dashboard:dashboard", method="GET", status="200")
    assert _samples(families["factdesk_fetch_errors"], reason="private_address")[0].value == refused_before + 1
    assert _samples(families["factdesk_coverage_suggestions"], stance="denies", status="suggested")[0].value == 1
    assert _samples(families["factdesk_feeds"], state="failing")[0].value == 1
    assert "factdesk_celery_queue_length" in families
    assert "factdesk_followup_rows" in families and "factdesk_desk_alerts_open" in families


def _model_calls(families, model: str) -> float:
    found = [s for s in families["factdesk_model_seconds"].samples
             if s.name.endswith("_count") and s.labels.get("model") == model]
    return found[0].value if found else 0


def test_model_latency_is_timed_where_the_models_are_called(client, settings):
    from claims.corroboration.core.stance import StanceInput
    from claims.corroboration.embedding import claims_embed
    from claims.corroboration.matching import predict_stances
    from sources.language import detect_language
    from tests.factories import UserFactory

    settings.METRICS_TOKEN = TOKEN
    before = _scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    counts = {m: _model_calls(before, m) if "factdesk_model_seconds" in before else 0
              for m in ("language", "stance", "embedding")}

    assert detect_language("Beijing denied that Russia had asked for military aid") == "en"
    [prediction] = predict_stances([StanceInput(claim="Russia asked China for military aid",
                                                title="China denies Russia asked for aid")])
    claim = Claim.objects.create(text="Russia asked China for military aid", claimant="U.S. officials",
                                 created_by=UserFactory())
    assert claims_embed(claim_ids=[claim.pk]) == [claim.pk]

    after = _scrape(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert _model_calls(after, "language") >= counts["language"] + 2  # ours, and the claim's
    assert _model_calls(after, "stance") == counts["stance"] + 1
    assert _model_calls(after, "embedding") == counts["embedding"] + 1

"""Evidence and denials through the API: list, attach by URL, add by hand, record a denial,
through the evidence services (duplicates refused, bad URLs refused, logged "via API")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.models import ActivityEvent, Evidence
from tests.api.conftest import make_token, token_client
from tests.factories import make_claim, walk_claim_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(editor):
    return token_client(make_token(editor, scope="write"))


@pytest.fixture
def claim(editor):
    return walk_claim_to(make_claim(editor), "researching", actor=editor)


def _post(api, url, body):
    return api.post(url, body, content_type="application/json")


def test_attach_by_url_then_list(api, claim, editor):
    url = reverse("api:evidence_list", args=[claim.pk])
    response = _post(api, url, {"url": "https://www.fmprc.gov.cn/eng/statement-1.html",
                                "stance": "context", "quote": "We have noted the reports."})
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["stance"] == "context" and item["source"]["fetch_status"] == "pending"
    assert item["source"]["url"] == "https://www.fmprc.gov.cn/eng/statement-1.html"
    listed = api.get(url).json()
    assert [e["id"] for e in listed] == [item["id"]]
    again = _post(api, url, {"url": "https://www.fmprc.gov.cn/eng/statement-1.html",
                             "stance": "supports"})
    assert again.status_code == 409 and "Already attached" in again.json()["detail"]
    event = ActivityEvent.objects.get(claim=claim, verb="evidence_added")
    assert event.details["via"] == "api" and event.actor == editor


@pytest.mark.parametrize("bad_url", ["javascript:alert(1)", "ftp://example.org/x", "not a url"])
def test_a_bad_url_is_refused_and_nothing_attached(api, claim, bad_url):
    response = _post(api, reverse("api:evidence_list", args=[claim.pk]),
                     {"url": bad_url, "stance": "supports"})
    assert response.status_code == 400
    assert response.json()["detail"]
    assert not Evidence.objects.exists()


def test_add_by_hand_and_record_a_denial(api, claim):
    manual = _post(api, reverse("api:evidence_manual", args=[claim.pk]), {
        "kind": "press_conference", "title": "MFA briefing, 14 March",
        "outlet_name": "Chinese MFA", "stance": "context", "speaker": "Zhao Lijian",
    })
    assert manual.status_code == 201, manual.content
    assert manual.json()["source"]["kind"] == "press_conference"
    assert manual.json()["source"]["outlet"] == "Chinese MFA"
    denial = _post(api, reverse("api:denial_list", args=[claim.pk]), {
        "speaker": "Chinese embassy", "quote": "Disinformation.", "title": "Embassy statement",
        "stated_on": "2022-03-14",
    })
    assert denial.status_code == 201, denial.content
    assert denial.json()["is_denial"] is True and denial.json()["stance"] == "denies"
    denials = api.get(reverse("api:denial_list", args=[claim.pk])).json()
    assert [d["id"] for d in denials] == [denial.json()["id"]]
    assert len(api.get(reverse("api:evidence_list", args=[claim.pk])).json()) == 2
    assert ActivityEvent.objects.get(claim=claim, verb="denial_recorded").details["via"] == "api"


def test_bad_evidence_is_refused_with_field_errors(api, claim):
    no_stance = _post(api, reverse("api:evidence_manual", args=[claim.pk]),
                      {"kind": "document", "title": "A memo"})
    assert no_stance.status_code == 400
    assert [e["field"] for e in no_stance.json()["errors"]] == ["stance"]
    nothing = _post(api, reverse("api:evidence_manual", args=[claim.pk]),
                    {"kind": "document", "stance": "supports"})
    assert nothing.status_code == 400 and "title or a description" in nothing.json()["detail"]
    assert _post(api, reverse("api:denial_list", args=[claim.pk]), {"quote": "x"}).status_code == 400
    assert not Evidence.objects.exists()

"""The dashboard page and its CSVs: who may see them, what they show."""

from __future__ import annotations

import csv
import io

import pytest

from tests.claims.dashboard import history

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(editor, editor2, reviewer):
    return history.build(erin=editor, eddie=editor2, rita=reviewer)


@pytest.mark.parametrize("persona", ["editor", "reviewer"])
def test_editors_and_reviewers_see_every_chart_with_its_table(client, desk, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/dashboard/?weeks=52")
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("time-to-verdict", "time-to-verdict-distribution", "review-turnaround", "backlog",
                "throughput", "throughput-people", "coverage", "model-precision-stance",
                "model-precision-language"):
        assert f'id="chart-{key}-title"' in html and f"/dashboard/{key}.csv?weeks=52" in html
    assert html.count('<svg class="chart"') == 9 and html.count("<table") == 9
    assert "Claim I" in html  # the oldest open claim is listed
    assert 'value="52" selected' in html
    assert " style=" not in html.split("<main", 1)[1]  # the CSP allows no inline style


def test_outsiders_are_refused(client, outsider):
    client.force_login(outsider)
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/throughput.csv").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_chart_downloads_as_csv_with_the_tables_numbers(editor_client, desk):
    response = editor_client.get("/dashboard/throughput-people.csv?weeks=52")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="throughput-people-52w-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Person", "Claims logged", "Verdicts approved"]
    assert {row[0] for row in rows[1:]} == {"erin", "eddie", "rita"}


def test_a_formula_in_a_name_is_neutralised_in_the_csv(editor_client, desk, django_user_model):
    from claims.models import Claim

    plotter = django_user_model.objects.create(username="=HYPERLINK(1)")
    Claim.objects.create(text="x", claimant="y", created_by=plotter)
    rows = list(csv.reader(io.StringIO(
        editor_client.get("/dashboard/throughput-people.csv").content.decode("utf-8-sig"))))
    assert ["'=HYPERLINK(1)", "1"] == rows[[r[0] for r in rows].index("'=HYPERLINK(1)")][:2]


def test_an_unknown_chart_is_not_found_and_a_bad_period_falls_back(editor_client):
    assert editor_client.get("/dashboard/nothing.csv").status_code == 404
    response = editor_client.get("/dashboard/?weeks=9999")
    assert response.status_code == 200 and 'value="12" selected' in response.content.decode()


def test_the_page_costs_a_fixed_number_of_queries(editor_client, desk, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        editor_client.get("/dashboard/?weeks=52")

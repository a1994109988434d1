import csv
import io
import json
import tracemalloc

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from claims.exports.lists import EXPORT_CHUNK_SIZE
from claims.exports.serializers import CSV_COLUMNS, neutralise_cell
from claims.models import CoverageSuggestion
from sources.models import Document
from tests.exports.builders import bulk_claims, claim_with_record
from tests.factories import make_claim, walk_claim_to

pytestmark = pytest.mark.django_db


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "downloads carry a UTF-8 BOM for spreadsheets"
    return list(csv.DictReader(io.StringIO(body[1:])))


def read_json(response):
    return json.loads(b"".join(response.streaming_content).decode("utf-8"))


@pytest.mark.parametrize(
    "raw, cell",
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Plain text = fine", "Plain text = fine"),
        ("", ""),
        (None, ""),
        (42, "42"),
    ],
)
def test_it_neutralises_cells_that_would_start_a_formula(raw, cell):
    assert neutralise_cell(raw) == cell


def test_it_exports_the_queue_as_csv_with_formula_injection_neutralised(editor_client, editor):
    make_claim(editor, text='=HYPERLINK("http://evil.example/steal","Click me")', claimant="+1",
               tags=["-minus", "@at"])
    make_claim(editor, text="Zürich's mayor said taxes fell.", claimant="Юлия Петрова")
    response = editor_client.get("/exports/claims.csv")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="claims-')
    assert response["Cache-Control"] == "private, no-store"
    rows = {row["claimant"]: row for row in read_csv(response)}
    assert list(rows["'+1"].keys()) == CSV_COLUMNS
    hostile = rows["'+1"]
    assert hostile["text"] == '\'=HYPERLINK("http://evil.example/steal","Click me")'
    assert hostile["tags"] == "'-minus, @at"
    normal = rows["Юлия Петрова"]
    assert normal["text"] == "Zürich's mayor said taxes fell."
    assert normal["status"] == "new"


def test_the_csv_row_has_counts_verdict_and_public_url(editor_client, editor, reviewer):
    claim = claim_with_record(editor, reviewer)
    (row,) = read_csv(editor_client.get("/exports/claims.csv"))
    assert row["id"] == str(claim.pk)
    assert row["supporting_count"] == "1" and row["denying_count"] == "1"
    assert row["verdict_rating"] == "False"
    assert row["verdict_headline"] == "No evidence Russia asked China for arms"
    assert row["tags"] == "china, ukraine"
    assert row["said_on"] == "2022-03-13"
    assert row["public_url"] == ""  # not published


def test_it_applies_the_queue_filters(editor_client, editor):
    make_claim(editor, text="A new claim")
    walk_claim_to(make_claim(editor, text="A triaged claim", priority=4), "triaged", actor=editor)
    rows = read_csv(editor_client.get("/exports/claims.csv?status=triaged"))
    assert [r["text"] for r in rows] == ["A triaged claim"]
    data = read_json(editor_client.get("/exports/claims.json?priority=4"))
    assert [c["text"] for c in data] == ["A triaged claim"]


def test_it_refuses_filters_it_cannot_apply(editor_client):
    response = editor_client.get("/exports/claims.csv?status=nonsense")
    assert response.status_code == 400
    assert "status" in response.content.decode()


def test_it_streams_the_queue_as_a_valid_json_array_with_details(editor_client, editor, reviewer):
    claim = claim_with_record(editor, reviewer)
    document = Document.objects.create(canonical_url="https://wire.example/a", title="Wire story")
    CoverageSuggestion.objects.create(claim=claim, document=document, relevance=0.8,
                                      stance="denies", stance_confidence=0.7)
    response = editor_client.get("/exports/claims.json")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    (exported,) = read_json(response)
    assert exported["verdict"]["headline"] == "No evidence Russia asked China for arms"
    assert exported["verdict"]["state"] == "approved"
    assert {e["outlet"] for e in exported["evidence"]} == {"Outlet A", "Outlet B", "Outlet C"}
    assert sum(1 for e in exported["evidence"] if e["snapshot_sha256"]) == 1
    assert exported["coverage_suggestions"] == [{
        "stance": "denies", "stance_confidence": 0.7, "relevance": 0.8, "status": "suggested",
        "document_url": "https://wire.example/a", "document_title": "Wire story",
    }]


def test_an_empty_queue_exports_an_empty_json_array(editor_client):
    assert read_json(editor_client.get("/exports/claims.json")) == []


@pytest.mark.parametrize("path", ["/exports/claims.csv", "/exports/claims.json"])
def test_outsiders_cannot_export(client, outsider, path):
    client.force_login(outsider)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/exports/claims.csv", "/exports/claims.json"])
def test_anonymous_users_are_sent_to_log_in_before_exporting(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_loads_details_once_per_chunk_not_per_claim(editor_client, editor):
    """Details are batch-loaded per chunk of the cursor: three chunks, three suggestion
    queries. Loading per claim would make 1,001; loading the whole list at once, one."""
    bulk_claims(editor, EXPORT_CHUNK_SIZE * 2 + 1, text_size=10)
    with CaptureQueriesContext(connection) as queries:
        data = read_json(editor_client.get("/exports/claims.json"))
    assert len(data) == EXPORT_CHUNK_SIZE * 2 + 1
    detail_queries = [
        q for q in queries.captured_queries
        if q["sql"].startswith('SELECT "claims_coveragesuggestion"')
    ]
    assert len(detail_queries) == 3


def _peak_bytes_while_streaming(client, path) -> int:
    tracemalloc.start()
    try:
        response = client.get(path)
        total = 0
        for chunk in response.streaming_content:  # consume without keeping
            total += len(chunk)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("path", ["/exports/claims.csv", "/exports/claims.json"])
def test_memory_stays_flat_as_the_export_grows(editor_client, editor, path):
    """600 vs 3,000 claims of ~4 KB each: streamed, both peak at about one chunk; loaded
    whole (or with prefetch_related's reference cycles) the large one peaks ~4-5x higher."""
    bulk_claims(editor, 600)
    small = _peak_bytes_while_streaming(editor_client, path)
    bulk_claims(editor, 2400)
    large = _peak_bytes_while_streaming(editor_client, path)
    assert large < small * 1.8, (small, large)

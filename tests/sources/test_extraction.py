"""extract_document on fetched fixtures and on garbage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sources import fetching
from sources.extraction import ExtractedDocument, extract_document, parse_datetime_loose
from sources.fetching import FetchResult, fetch


@pytest.fixture
def served(settings, web_server, monkeypatch):
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    real_connect = fetching.connection._connect

    def guarded(ip, port, timeout):
        assert ip == "127.0.0.1"
        return real_connect(ip, port, timeout)

    monkeypatch.setattr(fetching.connection, "_connect", guarded)
    return web_server


def _result(body: bytes, content_type: str, charset: str | None = "utf-8") -> FetchResult:
    return FetchResult(
        requested_url="https://example.com/x", final_url="https://example.com/x", status=200,
        headers={}, content_type=content_type, charset=charset, body=body,
    )


def test_html_article(served):
    doc = extract_document(fetch(served.url("/article.html")))
    assert isinstance(doc, ExtractedDocument)
    assert doc.kind == "html"
    assert "Russia asked China for military aid" in doc.title
    assert doc.author == "Maria Okonkwo"
    assert doc.published_at == datetime(2022, 3, 14, 9, 30, tzinfo=UTC)
    assert doc.published_at.tzinfo is not None
    assert doc.language == "en"
    assert doc.site_name == "The Harbour Ledger"
    assert "China's foreign ministry rejected the account" in doc.text
    assert "Subscribe" not in doc.text  # boilerplate removed
    assert doc.url == served.url("/article.html")


def test_wrongly_declared_encoding_extracts(served):
    doc = extract_document(fetch(served.url("/article_cp1251.html")))
    assert "Россия просила Китай" in doc.title
    assert "беспилотников" in doc.text
    assert doc.language == "ru"
    latin = extract_document(fetch(served.url("/article_latin1.html")))
    assert "Pékin" in latin.title
    assert "désinformation" in latin.text


def test_pdf_text_and_metadata(served):
    doc = extract_document(fetch(served.url("/factcheck.pdf")))
    assert doc.kind == "pdf"
    assert doc.title == "Russia, China and the aid claim"
    assert doc.author == "Desk Researcher"
    assert doc.published_at == datetime(2022, 3, 15, 12, 0, tzinfo=UTC)
    assert "Did Russia ask China for military aid?" in doc.text
    assert "disinformation" in doc.text


def test_plain_text_passthrough():
    doc = extract_document(_result("First line\nsecond line é".encode(), "text/plain"))
    assert doc.kind == "text"
    assert doc.title == "First line"
    assert doc.text == "First line\nsecond line é"


@pytest.mark.parametrize(
    "body, content_type",
    [
        (b"", "text/html"),
        (b"\x00\xff\xfe garbage <<<>>> \x81", "text/html"),
        (b"<html><body></body></html>", "text/html"),
        (b"<<<<" * 10000, "application/xhtml+xml"),
        (b"%PDF-1.4 this is not really a pdf", "application/pdf"),
        (b"not a pdf at all", "application/pdf"),
        (bytes(range(256)) * 50, "text/plain"),
        (b"{}", "application/json"),
    ],
)
def test_garbage_never_raises(body, content_type):
    doc = extract_document(_result(body, content_type))
    assert isinstance(doc, ExtractedDocument)
    assert isinstance(doc.text, str)
    if content_type in ("application/pdf", "application/json") or not body:
        assert doc.problems  # says what went wrong


def test_html_without_article_falls_back_to_page_text():
    doc = extract_document(_result(b"<html><head><title>T</title></head><body><div>tiny</div></body></html>",
                                   "text/html"))
    assert doc.title == "T"
    assert "tiny" in doc.text


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2022-03-14T09:30:00+00:00", datetime(2022, 3, 14, 9, 30, tzinfo=UTC)),
        ("2022-03-14T09:30:00Z", datetime(2022, 3, 14, 9, 30, tzinfo=UTC)),
        ("2022-03-14", datetime(2022, 3, 14, tzinfo=UTC)),
        ("Mon, 14 Mar 2022 09:30:00 GMT", datetime(2022, 3, 14, 9, 30, tzinfo=UTC)),
        ("D:20220315120000Z", datetime(2022, 3, 15, 12, 0, tzinfo=UTC)),
        ("not a date", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_datetime_loose(value, expected):
    assert parse_datetime_loose(value) == expected

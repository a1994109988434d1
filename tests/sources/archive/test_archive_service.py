"""source_for_url and source_archive against the local fixture server."""

from __future__ import annotations

import gzip
import hashlib

import pytest
from django.core.exceptions import ValidationError

from sources import services
from sources.fetching import FetchHTTPError
from sources.models import Outlet, Snapshot, Source
from tests.factories import SourceFactory
from tests.sources.archive.conftest import ARTICLE_V1
from tests.support.fixture_server import FIXTURES_DIR as FIXTURES

pytestmark = pytest.mark.django_db


def archive(url: str) -> tuple[Source, Snapshot | None]:
    source, _ = services.source_for_url(url=url)
    snapshot = services.source_archive(source_id=source.pk)
    source.refresh_from_db()
    return source, snapshot


# --------------------------------------------------------------------------- source_for_url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/file", "Only http and https links can be archived"),
        ("javascript:alert(1)", "Only http and https links can be archived"),
        ("https://", "no host name"),
        ("", "Enter the link"),
        ("https://example.org/" + "a" * 2000, "too long"),
        ("https://user:pw@example.org/", "user name or password"),
    ],
)
def test_it_refuses_links_it_will_not_archive_with_a_clear_message(url, message):
    with pytest.raises(ValidationError) as error:
        services.source_for_url(url=url)
    assert message in " ".join(error.value.messages)
    assert not Source.objects.exists()


def test_it_makes_one_source_for_the_same_url_twice():
    first, created = services.source_for_url(url="  https://News.Example.org/story?utm_source=x#top ")
    again, created_again = services.source_for_url(url="https://news.example.org/story")
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert first.url == "https://news.example.org/story"
    assert first.fetch_status == Source.FetchStatus.PENDING
    assert Source.objects.count() == 1


# --------------------------------------------------------------------------- archiving


def test_it_archives_an_html_article(site):
    url = site.url("/article.html")
    source, snapshot = archive(url)

    assert snapshot is not None
    body = (FIXTURES / "article.html").read_bytes()  # the exact bytes the server sent
    assert gzip.decompress(bytes(snapshot.raw_gzip)) == body
    assert snapshot.raw_size == len(body)
    assert snapshot.sha256 == hashlib.sha256(body).hexdigest()
    assert snapshot.http_status == 200
    assert snapshot.content_type == "text/html"
    assert snapshot.requested_url == snapshot.final_url == url
    assert "asked China for military" in snapshot.text
    assert source.fetch_status == Source.FetchStatus.FETCHED
    assert source.fetch_error == ""
    assert source.title.startswith("U.S. says Russia asked China")
    assert source.author == "Maria Okonkwo"
    assert source.published_at.year == 2022
    assert "asked China for military" in source.text
    # An IP host is no publication: no outlet is invented for 127.0.0.1.
    assert source.outlet is None
    assert not Outlet.objects.exists()


def test_it_takes_the_outlet_from_the_registrable_domain(site, resolve_to):
    resolve_to({"www.gazette.co.uk": "127.0.0.1"})
    site.add_route("/politics/closures", ARTICLE_V1)
    source, snapshot = archive(f"http://www.gazette.co.uk:{site.port}/politics/closures")

    assert snapshot is not None
    assert source.outlet.domain == "gazette.co.uk"
    assert source.outlet.name == "The Test Gazette"
    # another host of the same registrable domain reuses the outlet
    resolve_to({"www.gazette.co.uk": "127.0.0.1", "news.gazette.co.uk": "127.0.0.1"})
    other, _ = archive(f"http://news.gazette.co.uk:{site.port}/politics/closures")
    assert other.outlet == source.outlet
    assert Outlet.objects.count() == 1


def test_it_never_overwrites_what_an_editor_typed(site):
    url = site.url("/article.html")
    source = SourceFactory(url=url, title="Editor's title", author="", fetch_status="pending", outlet=None)
    services.source_archive(source_id=source.pk)
    source.refresh_from_db()
    assert source.title == "Editor's title"
    assert source.author == "Maria Okonkwo"  # was empty, so it is filled


def test_it_archives_a_pdf(site):
    source, snapshot = archive(site.url("/factcheck.pdf"))
    body = (FIXTURES / "factcheck.pdf").read_bytes()
    assert snapshot.content_type == "application/pdf"
    assert gzip.decompress(bytes(snapshot.raw_gzip)) == body
    assert snapshot.sha256 == hashlib.sha256(body).hexdigest()
    assert source.fetch_status == Source.FetchStatus.FETCHED


def test_it_records_the_final_url_after_a_redirect(site):
    target = site.url("/article.html")
    requested = site.url(f"/redirect?to={target}&status=301")
    source, snapshot = archive(requested)
    assert snapshot.requested_url == requested
    assert snapshot.final_url == target
    assert source.url == requested  # the cited link stays the one the editor gave


def test_it_refuses_a_loopback_port_outside_the_allowance(site, connects):
    other_port = 1 if site.port != 1 else 2
    source, snapshot = archive(f"http://127.0.0.1:{other_port}/admin")
    assert snapshot is None
    assert source.fetch_status == Source.FetchStatus.FAILED
    assert "loopback" in source.fetch_error and source.fetch_error.startswith("Refused")
    assert connects == []
    assert not Snapshot.objects.exists()


def test_it_refuses_a_name_that_resolves_to_a_private_address(site, resolve_to, connects):
    resolve_to({"intranet.example.com": "10.1.2.3"})
    source, snapshot = archive("https://intranet.example.com/payroll")
    assert snapshot is None
    assert source.fetch_status == Source.FetchStatus.FAILED
    assert source.fetch_error == "Refused: intranet.example.com resolves to 10.1.2.3, a private address"
    assert connects == []  # no connection was ever made


def test_it_refuses_a_huge_body(site, settings):
    settings.FETCH_MAX_BYTES = 100_000
    source, snapshot = archive(site.url("/huge?size=300000&length=chunked"))
    assert snapshot is None
    assert source.fetch_status == Source.FetchStatus.FAILED
    assert "limit" in source.fetch_error


def test_it_gives_up_on_a_slow_response(site, settings):
    settings.FETCH_READ_TIMEOUT = 0.3
    settings.FETCH_TOTAL_TIMEOUT = 2
    source, snapshot = archive(site.url("/slow?seconds=2"))
    assert snapshot is None
    assert source.fetch_status == Source.FetchStatus.FAILED
    assert "Timed out" in source.fetch_error


def test_it_lets_the_caller_retry_a_transient_error(site):
    source, _ = services.source_for_url(url=site.url("/status/503"))
    with pytest.raises(FetchHTTPError):
        services.source_archive(source_id=source.pk, final_attempt=False)
    source.refresh_from_db()
    assert source.fetch_status == Source.FetchStatus.PENDING  # not failed yet: retries are left


def test_it_makes_a_new_snapshot_for_each_forced_fetch_and_keeps_the_old(site):
    source, first = archive(site.url("/article.html"))
    assert services.source_archive(source_id=source.pk) is None  # already archived
    second = services.source_archive(source_id=source.pk, force=True)
    assert second.pk != first.pk
    assert source.snapshots.count() == 2

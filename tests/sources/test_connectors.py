"""RSS/Atom, GDELT and Fact Check connectors against the local fixture server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sources import fetching
from sources.connectors import (
    ConnectorDisabled,
    FactCheckConnector,
    FeedConfig,
    FeedError,
    GdeltConnector,
    QueryConnector,
    RSSConnector,
    get_connector,
)


@pytest.fixture
def served(settings, web_server, monkeypatch):
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    settings.FETCH_READ_TIMEOUT = 2
    settings.GDELT_API_URL = web_server.url("/gdelt/api")
    settings.FACTCHECK_API_URL = web_server.url("/factcheck/claims:search")
    real_connect = fetching.connection._connect

    def guarded(ip, port, timeout):
        assert ip == "127.0.0.1"
        return real_connect(ip, port, timeout)

    monkeypatch.setattr(fetching.connection, "_connect", guarded)
    return web_server


def rss(url, **kw):
    return RSSConnector().fetch(FeedConfig(url=url, **kw))


# --------------------------------------------------------------------------- RSS / Atom


def test_rss2_real_world_shape(served):
    result = rss(served.url("/feed_rss2.xml"))
    assert result.feed_title == "The Harbour Ledger - World"
    assert [i.title for i in result.items] == [
        "U.S. says Russia asked China for military aid; Beijing denies it",
        "Kremlin denies seeking Chinese help",
        "Rome talks: what to watch",
    ]
    first, second, third = result.items
    assert first.url.startswith("https://ledger.example/world/russia-china-aid")
    assert first.normalised_url == "https://ledger.example/world/russia-china-aid"
    assert first.author == "Maria Okonkwo"  # dc:creator
    assert first.published_at == datetime(2022, 3, 14, 9, 30, tzinfo=UTC)
    assert first.summary == "Washington says Moscow sought drones from Beijing; China calls it disinformation."
    assert "asked China for military equipment" in first.extra["content"]  # content:encoded
    assert first.image_url == "https://ledger.example/img/aid-thumb.jpg"
    assert first.guid == "ledger-2022-03-14-0001"
    assert first.language == "en-gb"
    assert first.outlet_domain == "ledger.example"
    assert first.outlet_name == "The Harbour Ledger - World"
    assert second.url == served.url("/world/kremlin-denies")  # relative: against the feed URL
    assert second.published_at == datetime(2022, 3, 14, 10, 5, tzinfo=UTC)
    assert third.guid == third.url
    assert result.problems == []
    assert result.not_modified is False


def test_atom_feed(served):
    result = rss(served.url("/feed_atom.xml"))
    assert result.feed_title == "Open Verification Notes"
    assert len(result.items) == 2
    first, second = result.items
    assert first.url == "https://notes.example.org/2022/03/russia-china-drones"
    assert first.title == "Claim: Russia asked China for drones & supplies"
    assert first.author == "Priya Raman"
    assert first.published_at == datetime(2022, 3, 15, 7, 45, tzinfo=UTC)
    assert first.summary == "What is known about the request and the denials."
    assert first.guid == "tag:notes.example.org,2022:entry-101"
    assert first.language == "en"
    assert second.language == "de"
    assert second.published_at == datetime(2022, 3, 15, 6, 0, tzinfo=UTC)  # from <updated>


@pytest.mark.parametrize(
    "content_type",
    ["application/rss+xml", "application/x-rss+xml", "application/atom+xml",
     "application/x-atom+xml", "application/rdf+xml", "application/xml", "text/xml",
     "text/html", "text/plain", ""],
)
@pytest.mark.parametrize("name", ["feed_rss2.xml", "feed_atom.xml"])
def test_feeds_are_read_whatever_type_they_are_served_as(served, name, content_type):
    served.add_route(f"/typed/{name}", (served_file(name)), content_type=content_type)
    result = rss(served.url(f"/typed/{name}"))
    assert result.items and result.feed_title


def served_file(name: str) -> bytes:
    from tests.support.fixture_server import FIXTURES_DIR

    return (FIXTURES_DIR / name).read_bytes()


def test_items_without_links_and_duplicates_are_reported(served):
    result = rss(served.url("/feed_problems.xml"))
    assert [i.url for i in result.items] == ["https://problems.example/one", "https://problems.example/two"]
    problems = "\n".join(result.problems)
    assert 'item 2 ("An item without a link") has no link, skipped' in problems
    assert "item 3" in problems and "duplicates item 1" in problems
    assert "item 4" in problems and "unreadable date" in problems
    assert "item 5" in problems and "guid of item 4" in problems
    assert "item 6" in problems and "non-web URL" in problems


def test_malformed_feed_is_a_clear_error(served):
    with pytest.raises(FeedError, match="not a well-formed|malformed") as info:
        rss(served.url("/feed_malformed.xml"))
    assert info.value.transient is False
    with pytest.raises(FeedError, match="not a well-formed|not an RSS"):
        rss(served.url("/feed_garbage.xml?content_type=application/xml"))


def test_html_page_instead_of_feed(served):
    with pytest.raises(FeedError, match="returned an HTML page, not a feed") as info:
        rss(served.url("/not_a_feed.html"))
    assert "advertises a feed at " + served.url("/world/rss.xml") in str(info.value)
    # same page even when mislabelled as XML
    with pytest.raises(FeedError, match="HTML page"):
        rss(served.url("/not_a_feed.html?content_type=application/rss%2Bxml"))


def test_huge_feed_is_refused(served, settings):
    settings.FETCH_MAX_BYTES = 100_000
    with pytest.raises(FeedError, match="larger than") as info:
        rss(served.url("/huge?size=500000&length=none&content_type=application/rss%2Bxml"))
    assert info.value.reason_code == "too_large"


def test_wrong_encoding_feed(served):
    result = rss(served.url("/feed_wrong_encoding.xml"))
    assert result.items[0].title == "Pékin dément ‘toute aide’"
    assert result.feed_title == "Café Presse – Monde"
    assert any("encoding" in p for p in result.problems)


def test_transient_fetch_errors_stay_transient(served):
    with pytest.raises(FeedError) as info:
        rss(served.url("/status/503"))
    assert info.value.transient is True
    with pytest.raises(FeedError) as info:
        rss(served.url("/status/404"))
    assert info.value.transient is False
    assert "404" in str(info.value)


def test_conditional_feed_fetch(served):
    first = rss(served.url("/etag/world.rss"))
    assert first.etag == '"v1-world.rss"'
    assert len(first.items) == 3
    again = RSSConnector().fetch({"url": served.url("/etag/world.rss"), "etag": first.etag,
                                  "last_modified": first.last_modified})
    assert again.not_modified is True
    assert again.items == []
    assert again.etag == first.etag


def test_feedparser_never_fetches_by_itself(served, monkeypatch):
    """Only the safe fetcher touches the network: feedparser only ever sees bytes."""
    import feedparser

    seen = []
    real_parse = feedparser.parse

    def spy(source, *args, **kwargs):
        seen.append(type(source))
        return real_parse(source, *args, **kwargs)

    monkeypatch.setattr(feedparser, "parse", spy)
    rss(served.url("/feed_rss2.xml"))
    assert seen == [bytes]


def test_max_items(served):
    result = rss(served.url("/feed_rss2.xml"), max_items=2)
    assert len(result.items) == 2
    assert any("only the first 2" in p for p in result.problems)


# --------------------------------------------------------------------------- GDELT


def test_gdelt_search(served):
    connector = get_connector("gdelt")
    assert isinstance(connector, QueryConnector)
    result = connector.run('"military aid" China Russia', max_records=10)
    assert [i.url for i in result.items] == [
        "https://www.ledger.example/world/russia-china-aid",
        "https://nouvelles.example.fr/monde/pekin-dement",
        "https://wire.example.com/asia/china-denies",
    ]
    first, second, third = result.items
    assert first.published_at == datetime(2022, 3, 14, 10, 30, tzinfo=UTC)
    assert first.language == "en" and second.language == "fr" and third.language == ""
    assert first.outlet_domain == "ledger.example"
    assert first.extra["sourcecountry"] == "United Kingdom"
    assert third.published_at is None
    problems = "\n".join(result.problems)
    assert "duplicates article 1" in problems
    assert "has no usable URL" in problems
    assert "unreadable seendate" in problems
    query = served.requests[-1].query
    assert query["query"] == ['"military aid" China Russia']
    assert query["mode"] == ["artlist"] and query["format"] == ["json"]
    assert query["maxrecords"] == ["10"] and query["sort"] == ["datedesc"]
    assert len(connector.search("military aid")) == 3


def test_gdelt_text_error_is_reported(served):
    with pytest.raises(FeedError, match="answered with an error instead of JSON: Your search was too short"):
        GdeltConnector().search("ab")


def test_gdelt_fetch_uses_config_query(served):
    result = GdeltConnector().fetch(FeedConfig(query="China Russia aid"))
    assert len(result.items) == 3


# --------------------------------------------------------------------------- Fact Check


def test_factcheck_disabled_without_key(settings, web_server):
    settings.GOOGLE_FACTCHECK_API_KEY = ""
    connector = FactCheckConnector()
    assert connector.enabled is False
    assert connector.status == "off: no API key (set GOOGLE_FACTCHECK_API_KEY)"
    with pytest.raises(ConnectorDisabled, match="off: no API key"):
        connector.search("anything")
    assert web_server.requests == []


def test_factcheck_search(served, settings):
    settings.GOOGLE_FACTCHECK_API_KEY = "test-key-123"
    connector = get_connector("factcheck")
    assert connector.enabled
    result = connector.run("Russia China military aid")
    assert [i.url for i in result.items] == [
        "https://verifydesk.example/checks/russia-china-military-aid",
        "https://faktencheck-nord.example.de/russland-china",
        "https://verifydesk.example/checks/china-drones-march",
    ]
    first = result.items[0]
    assert first.title == "Did Russia ask China for military aid?"
    assert first.summary == "Russia asked China for military equipment after invading Ukraine."
    assert first.outlet_name == "Verify Desk"
    assert first.outlet_domain == "verifydesk.example"
    assert first.language == "en"
    assert first.published_at == datetime(2022, 3, 15, 14, 20, tzinfo=UTC)
    assert first.extra["textual_rating"] == "Unproven"
    assert first.extra["claimant"] == "U.S. officials"
    assert result.items[1].outlet_domain == "example.de"
    assert any("has no usable URL" in p for p in result.problems)
    assert any("page limit" in p for p in result.problems)
    query = served.requests[-1].query
    assert query["key"] == ["test-key-123"]
    assert query["languageCode"] == ["en"]
    assert query["query"] == ["Russia China military aid"]


def test_factcheck_pagination(served, settings):
    settings.GOOGLE_FACTCHECK_API_KEY = "k"
    result = FactCheckConnector(max_pages=3).run("Beijing")
    assert len(result.items) == 4
    assert result.items[-1].url == "https://notes.example.org/2022/03/beijing-statement"
    assert served.requests[-1].query["pageToken"] == ["CAo"]


def test_factcheck_api_error_is_clear_and_redacted(served):
    connector = FactCheckConnector(api_key="invalid")
    with pytest.raises(FeedError) as info:
        connector.search("x y z")
    message = str(info.value)
    assert "HTTP 400" in message and "API key not valid" in message
    assert "key=invalid" not in message
    assert info.value.transient is False


def test_unknown_connector_kind():
    with pytest.raises(ValueError, match="unknown connector kind"):
        get_connector("telepathy")

"""Fixtures for archive tests: the local web server, allowed; nothing else reachable."""

from __future__ import annotations

import pytest

from sources import fetching


@pytest.fixture
def connects(monkeypatch):
    """Every connection the fetcher opens; any address but 127.0.0.1 fails the test."""
    real_connect = fetching.connection._connect
    seen: list[tuple[str, int]] = []

    def guarded(ip, port, timeout):
        seen.append((ip, port))
        assert ip == "127.0.0.1", f"connection attempted to {ip}:{port}"
        return real_connect(ip, port, timeout)

    monkeypatch.setattr(fetching.connection, "_connect", guarded)
    return seen


@pytest.fixture
def site(settings, web_server, connects):
    """The fixture web server, with loopback allowed on its port only."""
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    return web_server


@pytest.fixture
def resolve_to(monkeypatch):
    """resolve_to({"news.ledger.co.uk": "127.0.0.1"}): control DNS answers in a test."""
    real_resolve = fetching.resolve_host

    def install(answers: dict[str, str]):
        def fake(host, port):
            if host in answers:
                return [answers[host]]
            return real_resolve(host, port)

        monkeypatch.setattr(fetching.addresses, "resolve_host", fake)

    return install


ARTICLE_V1 = """<!doctype html><html><head><title>Minister denies school closures</title>
<meta property="og:site_name" content="The Test Gazette"></head><body><article>
<h1>Minister denies school closures</h1>
<p>The education minister said on Monday that no schools in the region would close this year,
contradicting a leaked memo that listed twelve schools for closure in the autumn term.</p>
<p>Parents' groups welcomed the statement but asked for the memo to be published in full so
that families could see which options had been discussed by the department.</p>
</article></body></html>"""

ARTICLE_V2 = ARTICLE_V1.replace("no schools in the region would close this year",
                                "only two schools in the region would close this year")

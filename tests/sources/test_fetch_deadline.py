"""One total deadline bounds every phase of a fetch, against a slow server on 127.0.0.1.

Each server here keeps sending a byte every 0.1 s (well inside the read timeout) or never
answers at all; the fetch must give up at its total deadline all the same. The bounds
asserted are loose (the deadline plus a wide margin for a loaded machine) but far below
what the server would hold a fetch without it (12 s).
"""

from __future__ import annotations

import socket
import time

import pytest

from sources import fetching
from sources.fetching import FetchHTTPError, FetchTimeout, fetch
from tests.support.slow_server import MAX_SECONDS, SlowConnectListener, SlowServer

DEADLINE = 1.5
MARGIN = 2.5  # scheduling noise on a busy 2-core machine, never close to MAX_SECONDS


@pytest.fixture
def slow_server(settings):
    server = SlowServer().start()
    settings.FETCH_ALLOW_LOOPBACK = str(server.port)
    settings.FETCH_CONNECT_TIMEOUT = 5
    settings.FETCH_READ_TIMEOUT = 5  # each single wait is short: only the deadline can stop them
    settings.FETCH_TOTAL_TIMEOUT = DEADLINE
    yield server
    server.stop()


def _timed(url: str, expected: type[Exception]) -> tuple[Exception, float]:
    started = time.monotonic()
    with pytest.raises(expected) as info:
        fetch(url)
    return info.value, time.monotonic() - started


@pytest.mark.parametrize("path", ["/drip-headers", "/drip-chunk-size", "/drip-body"])
def test_a_server_dripping_bytes_is_cut_off_at_the_deadline(slow_server, path):
    error, elapsed = _timed(slow_server.url(path), FetchTimeout)
    assert elapsed < DEADLINE + MARGIN < MAX_SECONDS
    assert error.transient is True


def test_a_dripped_error_page_does_not_hold_the_fetch(slow_server):
    error, elapsed = _timed(slow_server.url("/drip-error-body"), FetchHTTPError)
    assert error.status == 500 and error.transient is True
    assert elapsed < DEADLINE + MARGIN


def test_the_deadline_spans_every_resolved_address(settings, monkeypatch):
    listener = SlowConnectListener()
    try:
        settings.FETCH_ALLOW_LOOPBACK = str(listener.port)
        settings.FETCH_CONNECT_TIMEOUT = 1.0
        settings.FETCH_TOTAL_TIMEOUT = DEADLINE
        # Four addresses that never answer: 4 x 1 s of connect timeouts, unless the deadline
        # stops the attempts. (All of them are 127.0.0.1: nothing else is ever dialled here.)
        monkeypatch.setattr(fetching.addresses, "resolve_host", lambda host, port: ["127.0.0.1"] * 4)
        attempts = []
        real_connect = fetching.connection._connect

        def counting(ip, port, timeout):
            assert ip == "127.0.0.1"
            attempts.append(timeout)
            return real_connect(ip, port, timeout)

        monkeypatch.setattr(fetching.connection, "_connect", counting)
        error, elapsed = _timed(f"http://slow.example:{listener.port}/", FetchTimeout)
    finally:
        listener.close()
    assert elapsed < DEADLINE + MARGIN
    assert 1 <= len(attempts) <= 2  # the second attempt gets only what is left
    assert all(timeout <= 1.0 for timeout in attempts)
    assert "deadline" in str(error) or "Timed out" in str(error)


def test_dns_resolution_has_a_timeout(settings, monkeypatch):
    settings.FETCH_ALLOW_LOOPBACK = "1"
    settings.FETCH_CONNECT_TIMEOUT = 1.0
    settings.FETCH_TOTAL_TIMEOUT = DEADLINE
    connects = []
    monkeypatch.setattr(fetching.connection, "_connect", lambda *args: connects.append(args))

    def hanging_resolver(host, port, *args, **kwargs):
        time.sleep(6)  # a resolver that does not answer (left running in its own thread)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", hanging_resolver)
    error, elapsed = _timed("http://unanswered-dns.example/", FetchTimeout)
    assert elapsed < 1.0 + MARGIN
    assert "resolving unanswered-dns.example" in str(error)
    assert connects == []

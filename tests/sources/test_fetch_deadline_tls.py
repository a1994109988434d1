"""The total deadline bounds an https fetch whose server is slow in the TLS handshake.

``SlowTLSServer`` does a real handshake with a certificate from a test-only authority
(trusted through ``FETCH_CA_FILE``, as a newsroom would trust its proxy's authority), but
sends its side one byte at a time, each byte well inside the connect and read timeouts.
"""

from __future__ import annotations

import time

import pytest

from sources.fetching import FetchTimeout, fetch
from tests.support.slow_server import MAX_SECONDS, SlowTLSServer

DEADLINE = 1.5
MARGIN = 2.5  # scheduling noise on a busy 2-core machine, never close to MAX_SECONDS


def _serve(tmp_path, settings, **options) -> SlowTLSServer:
    server = SlowTLSServer(tmp_path, **options).start()
    settings.FETCH_ALLOW_LOOPBACK = str(server.port)
    settings.FETCH_CA_FILE = server.ca_path
    settings.FETCH_CONNECT_TIMEOUT = 5
    settings.FETCH_READ_TIMEOUT = 5  # each single wait is short: only the deadline can stop them
    settings.FETCH_TOTAL_TIMEOUT = DEADLINE
    return server


@pytest.fixture
def dripping_handshake(tmp_path, settings):
    server = _serve(tmp_path, settings)
    yield server
    server.stop()


def test_a_handshake_dripped_byte_by_byte_is_cut_off_at_the_deadline(dripping_handshake):
    started = time.monotonic()
    with pytest.raises(FetchTimeout) as info:
        fetch(dripping_handshake.url("/"))
    elapsed = time.monotonic() - started
    assert elapsed < DEADLINE + MARGIN < MAX_SECONDS
    assert info.value.transient is True
    assert dripping_handshake.handshakes_done == 0


def test_the_deadline_spans_handshake_and_headers_together(tmp_path, settings):
    # The handshake waits 1 s (inside its own timeout), then the response is dripped: a
    # deadline restarted after the handshake would let the fetch run 2.5 s or more.
    server = _serve(tmp_path, settings, drip=0, pause=1.0)
    try:
        started = time.monotonic()
        with pytest.raises(FetchTimeout):
            fetch(server.url("/"))
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    assert elapsed < DEADLINE + MARGIN
    assert server.handshakes_done == 1  # it was the response that was cut off


def test_a_prompt_server_with_the_trusted_authority_is_fetched(tmp_path, settings):
    server = _serve(tmp_path, settings, drip=0, drip_response=False)
    try:
        result = fetch(server.url("/"))
    finally:
        server.stop()
    assert result.status == 200 and b"slow but secure" in result.body
    assert server.handshakes_done == 1

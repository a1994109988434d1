"""``post_json``: a JSON POST under the fetcher's policy, against the local fixture server
(127.0.0.1 only). Private and link-local addresses are refused at the address check and
never connected to."""

from __future__ import annotations

import json

import pytest

from sources import fetching
from sources.fetching import (
    FetchHTTPError,
    FetchRefused,
    FetchTimeout,
    post_json,
)
from sources.fetching.posting import POST_RESPONSE_BYTES


@pytest.fixture
def connects(monkeypatch):
    """Every connection the poster opens; only ever to 127.0.0.1."""
    real_connect = fetching.connection._connect
    seen: list[tuple[str, int]] = []

    def guarded(ip, port, timeout):
        assert ip == "127.0.0.1", f"connection attempted to {ip}:{port}"
        seen.append((ip, port))
        return real_connect(ip, port, timeout)

    monkeypatch.setattr(fetching.connection, "_connect", guarded)
    return seen


@pytest.fixture
def receiver(settings, web_server, connects):
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    settings.FETCH_CONNECT_TIMEOUT = 2
    settings.FETCH_READ_TIMEOUT = 2
    settings.FETCH_TOTAL_TIMEOUT = 10
    return web_server


@pytest.fixture
def no_connections(monkeypatch):
    attempts: list[tuple] = []

    def spy(ip, port, timeout):
        attempts.append((ip, port))
        raise AssertionError(f"connection attempted to {ip}:{port}")

    monkeypatch.setattr(fetching.connection, "_connect", spy)
    return attempts


def test_it_posts_the_exact_bytes_with_the_extra_headers(receiver):
    url = receiver.add_route("/hook", "ok", "text/plain", status=200)
    body = b'{"type":"claim.published","data":{"id":1}}'
    result = post_json(url, body, headers={"webhook-id": "msg_1", "webhook-signature": "v1,abc"})
    assert result.status == 200
    assert result.ip == "127.0.0.1"
    assert result.excerpt == b"ok"
    sent = receiver.requests[-1]
    assert sent.method == "POST"
    assert sent.body == body
    assert sent.headers["content-type"] == "application/json"
    assert sent.headers["webhook-id"] == "msg_1"
    assert sent.headers["webhook-signature"] == "v1,abc"


def test_it_encodes_a_python_value_as_json(receiver):
    url = receiver.add_route("/hook", "", status=204)
    assert post_json(url, {"a": [1, "é"]}).status == 204
    assert json.loads(receiver.requests[-1].body) == {"a": [1, "é"]}


def test_it_does_not_follow_a_redirect(receiver):
    target = receiver.add_route("/elsewhere", "ok")
    url = receiver.url(f"/redirect?to={target}&status=307")
    with pytest.raises(FetchHTTPError) as info:
        post_json(url, b"{}")
    assert info.value.status == 307
    assert info.value.transient is False
    assert "redirects are not followed" in str(info.value)
    assert [r.path for r in receiver.requests] == [f"/redirect?to={target}&status=307"]


@pytest.mark.parametrize("status, transient", [(500, True), (503, True), (429, True), (410, False), (400, False)])
def test_a_failing_status_is_an_error_that_says_whether_to_retry(receiver, status, transient):
    with pytest.raises(FetchHTTPError) as info:
        post_json(receiver.url(f"/status/{status}"), b"{}")
    assert info.value.status == status
    assert info.value.transient is transient
    assert f"status {status}".encode() in info.value.body


def test_it_reads_only_the_start_of_a_large_answer(receiver):
    url = receiver.url("/huge?size=3000000&length=honest")
    result = post_json(url, b"{}")
    assert result.status == 200
    assert len(result.excerpt) == POST_RESPONSE_BYTES


def test_a_slow_receiver_times_out(receiver, settings):
    settings.FETCH_READ_TIMEOUT = 0.5
    with pytest.raises(FetchTimeout) as info:
        post_json(receiver.url("/slow?seconds=2"), b"{}")
    assert info.value.transient is True


def test_it_refuses_loopback_unless_allowed(settings, web_server, no_connections):
    settings.FETCH_ALLOW_LOOPBACK = ""
    with pytest.raises(FetchRefused) as info:
        post_json(web_server.url("/hook"), b"{}")
    assert info.value.reason_code == "loopback_address"
    assert web_server.requests == []


@pytest.mark.parametrize("address, code", [
    ("10.1.2.3", "private_address"),
    ("169.254.169.254", "link_local_address"),
    ("fd00::1", "private_address"),
])
def test_it_refuses_a_host_resolving_to_a_non_public_address(monkeypatch, no_connections, address, code):
    monkeypatch.setattr(fetching.addresses, "resolve_host", lambda host, port: ["93.184.216.34", address])
    with pytest.raises(FetchRefused) as info:
        post_json("https://hooks.example.test/in", b"{}")
    assert info.value.reason_code == code
    assert no_connections == []


@pytest.mark.parametrize("url, code", [
    ("ftp://example.com/hook", "scheme"),
    ("https://user:pw@example.com/hook", "credentials"),
    ("http:///nohost", "no_host"),
])
def test_it_refuses_bad_urls_without_connecting(no_connections, url, code):
    with pytest.raises(FetchRefused) as info:
        post_json(url, b"{}")
    assert info.value.reason_code == code
    assert no_connections == []


def test_it_connects_to_the_checked_address_and_keeps_the_host_name(receiver, monkeypatch, connects):
    monkeypatch.setattr(fetching.addresses, "resolve_host", lambda host, port: ["127.0.0.1"])
    post_json(f"http://hooks.example.test:{receiver.port}/status/200", b"{}")
    assert connects == [("127.0.0.1", receiver.port)]
    assert receiver.requests[-1].headers["host"] == f"hooks.example.test:{receiver.port}"


def test_check_destination_refuses_what_post_json_would_without_connecting(monkeypatch, no_connections, settings):
    from sources.fetching import check_destination

    settings.FETCH_ALLOW_LOOPBACK = ""
    monkeypatch.setattr(fetching.addresses, "resolve_host", lambda host, port: ["93.184.216.34"])
    check_destination("https://hooks.example.test/in")  # public: no error, no connection
    monkeypatch.setattr(fetching.addresses, "resolve_host", lambda host, port: ["93.184.216.34", "10.9.8.7"])
    with pytest.raises(FetchRefused, match="10.9.8.7, a private address"):
        check_destination("https://hooks.example.test/in")
    with pytest.raises(FetchRefused, match="loopback"):
        check_destination("http://127.0.0.1:9/")
    assert no_connections == []

"""The safe fetcher, against the local fixture server (127.0.0.1 only)."""

from __future__ import annotations

import socket

import pytest

from sources import fetching
from sources.fetching import (
    FetchConnectionError,
    FetchError,
    FetchHTTPError,
    FetchRefused,
    FetchTimeout,
    check_address,
    decode_body,
    fetch,
    normalise_url,
    registrable_domain,
)


@pytest.fixture
def loopback_only(monkeypatch):
    """Belt and braces: even a fetcher bug can only ever connect to 127.0.0.1 here."""
    real_connect = fetching.connection._connect
    connects: list[tuple[str, int]] = []

    def guarded(ip, port, timeout):
        assert ip == "127.0.0.1", f"connection attempted to {ip}:{port}"
        connects.append((ip, port))
        return real_connect(ip, port, timeout)

    monkeypatch.setattr(fetching.connection, "_connect", guarded)
    return connects


@pytest.fixture
def allow_server(settings, web_server, loopback_only):
    """Loopback allowed only on the fixture server's port; small limits for speed."""
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    settings.FETCH_CONNECT_TIMEOUT = 2
    settings.FETCH_READ_TIMEOUT = 2
    settings.FETCH_TOTAL_TIMEOUT = 10
    settings.FETCH_MAX_BYTES = 1024 * 1024
    return web_server


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if the fetcher tries to open any connection."""
    attempts: list[tuple] = []

    def spy(ip, port, timeout):
        attempts.append((ip, port))
        raise AssertionError(f"connection attempted to {ip}:{port}")

    monkeypatch.setattr(fetching.connection, "_connect", spy)
    return attempts


# --------------------------------------------------------------------------- check_address


@pytest.mark.parametrize(
    "ip, code",
    [
        ("10.0.0.1", "private_address"),
        ("10.255.255.254", "private_address"),
        ("172.16.0.1", "private_address"),
        ("172.31.255.1", "private_address"),
        ("192.168.1.10", "private_address"),
        ("169.254.169.254", "link_local_address"),
        ("224.0.0.1", "multicast_address"),
        ("::1", "loopback_address"),
        ("127.0.0.1", "loopback_address"),
        ("fe80::1", "link_local_address"),
        ("::ffff:10.0.0.1", "private_address"),
        ("::ffff:169.254.169.254", "link_local_address"),
        ("0.0.0.0", "unspecified_address"),
        ("::", "unspecified_address"),
        ("100.64.0.1", "private_address"),
        ("fc00::1", "private_address"),
        ("240.0.0.1", None),
    ],
)
def test_check_address_refuses_non_public(ip, code, settings):
    settings.FETCH_ALLOW_LOOPBACK = ""
    with pytest.raises(FetchRefused) as info:
        check_address(ip, 80)
    if code:
        assert info.value.reason_code == code
    assert info.value.transient is False
    assert ip in str(info.value)


@pytest.mark.parametrize("ip", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_check_address_allows_public(ip, settings):
    settings.FETCH_ALLOW_LOOPBACK = ""
    assert check_address(ip, 443) is None


def test_check_address_message_names_host_and_category():
    with pytest.raises(FetchRefused) as info:
        check_address("10.0.0.5", 80, host="example.internal")
    assert str(info.value) == "Refused: example.internal resolves to 10.0.0.5, a private address"


def test_loopback_allowance_by_port(settings):
    settings.FETCH_ALLOW_LOOPBACK = "8001,8002"
    check_address("127.0.0.1", 8001)
    check_address("127.0.0.1", 8002)
    with pytest.raises(FetchRefused, match="only on port"):
        check_address("127.0.0.1", 8003)
    with pytest.raises(FetchRefused):  # the allowance never opens private ranges
        check_address("10.0.0.1", 8001)
    settings.FETCH_ALLOW_LOOPBACK = "1"
    check_address("127.0.0.1", 65000)


@pytest.mark.parametrize("allowance", ["1", "8001"])
@pytest.mark.parametrize(
    "ip",
    [
        "127.0.0.2",            # another loopback address
        "127.1.2.3",
        "::1",                  # IPv6 loopback
        "::ffff:127.0.0.1",     # IPv4-mapped
        "::ffff:7f00:1",        # the same, written in hex
        "64:ff9b::7f00:1",      # NAT64
        "2002:7f00:1::",        # 6to4
        "::127.0.0.1",          # IPv4-compatible
    ],
)
def test_the_loopback_allowance_is_127_0_0_1_only(ip, allowance, settings):
    settings.FETCH_ALLOW_LOOPBACK = allowance
    with pytest.raises(FetchRefused) as info:
        check_address(ip, 8001)
    assert info.value.reason_code in {"loopback_address", "non_public_address", "reserved_address"}


# --------------------------------------------------------------------------- URL policy


@pytest.mark.parametrize(
    "url, code",
    [
        ("ftp://example.com/file", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("gopher://example.com/", "scheme"),
        ("http://user:secret@example.com/", "credentials"),
        ("http:///nohost", "no_host"),
        ("", "invalid_url"),
        ("http://exa mple.com/", "invalid_host"),
    ],
)
def test_refuses_bad_urls_without_connecting(url, code, no_connections):
    with pytest.raises(FetchRefused) as info:
        fetch(url)
    assert info.value.reason_code == code
    assert no_connections == []


def test_refuses_host_resolving_to_private_address(monkeypatch, no_connections):
    calls = []

    def fake_resolve(host, port):
        calls.append((host, port))
        return ["10.1.2.3"]

    monkeypatch.setattr(fetching.addresses, "resolve_host", fake_resolve)
    with pytest.raises(FetchRefused) as info:
        fetch("https://news.example.internal/story")
    assert calls == [("news.example.internal", 443)]
    assert info.value.reason_code == "private_address"
    assert "news.example.internal resolves to 10.1.2.3, a private address" in str(info.value)
    assert no_connections == []


def test_refuses_if_any_resolved_address_is_private(monkeypatch, no_connections):
    monkeypatch.setattr(fetching.addresses, "resolve_host", lambda host, port: ["93.184.216.34", "192.168.0.7"])
    with pytest.raises(FetchRefused, match="192.168.0.7"):
        fetch("http://mixed.example/")
    assert no_connections == []


def test_refuses_loopback_when_not_allowed(settings, web_server, no_connections):
    settings.FETCH_ALLOW_LOOPBACK = ""
    with pytest.raises(FetchRefused) as info:
        fetch(web_server.url("/article.html"))
    assert info.value.reason_code == "loopback_address"
    assert web_server.requests == []


def test_refuses_localhost_name_when_not_allowed(settings, web_server, no_connections):
    settings.FETCH_ALLOW_LOOPBACK = ""
    with pytest.raises(FetchRefused, match="loopback"):
        fetch(f"http://localhost:{web_server.port}/article.html")
    assert web_server.requests == []


def test_pins_connection_to_checked_ip_and_sends_host_header(allow_server, monkeypatch):
    """Resolution is done once; the connection goes to that IP, Host keeps the name."""
    monkeypatch.setattr(fetching.addresses, "resolve_host", lambda host, port: ["127.0.0.1"])
    result = fetch(f"http://news.example.test:{allow_server.port}/article.html")
    assert result.status == 200
    assert result.ip == "127.0.0.1"
    assert allow_server.requests[-1].headers["host"] == f"news.example.test:{allow_server.port}"


# --------------------------------------------------------------------------- fetching


def test_fetches_html_page(allow_server, settings):
    settings.FETCH_USER_AGENT = "TestBot/1.0"
    result = fetch(allow_server.url("/article.html"))
    assert result.status == 200
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert b"Beijing" in result.body
    assert result.final_url == result.requested_url
    assert result.redirects == []
    assert result.headers["content-type"].startswith("text/html")
    assert result.elapsed > 0
    assert allow_server.requests[-1].headers["user-agent"] == "TestBot/1.0"


def test_follows_redirects(allow_server):
    target = allow_server.url("/article.html")
    result = fetch(allow_server.url(f"/redirect?to={target}"))
    assert result.final_url == target
    assert result.redirects == [allow_server.url(f"/redirect?to={target}")]

    chained = fetch(allow_server.url("/redirect-chain/3"))
    assert chained.final_url == allow_server.url("/redirect-chain/0")
    assert len(chained.redirects) == 3


def test_redirect_cap(allow_server, settings):
    settings.FETCH_MAX_REDIRECTS = 2
    with pytest.raises(FetchRefused) as info:
        fetch(allow_server.url("/redirect-chain/5"))
    assert info.value.reason_code == "too_many_redirects"


def test_refuses_redirect_to_loopback_port_outside_allowance(allow_server, loopback_only):
    with socket.socket() as spare:  # a port nobody listens on, distinct from the server's
        spare.bind(("127.0.0.1", 0))
        other_port = spare.getsockname()[1]
    with pytest.raises(FetchRefused) as info:
        fetch(allow_server.url(f"/redirect?to=http://127.0.0.1:{other_port}/admin"))
    assert info.value.reason_code == "loopback_address"
    assert f"port {other_port}" in str(info.value)
    assert loopback_only == [("127.0.0.1", allow_server.port)]  # only the first hop connected


def test_refuses_redirect_to_private_address(allow_server, loopback_only):
    with pytest.raises(FetchRefused, match="169.254.169.254, a link-local address"):
        fetch(allow_server.url("/redirect?to=http://169.254.169.254/latest/meta-data/"))
    assert loopback_only == [("127.0.0.1", allow_server.port)]


def test_refuses_redirect_to_other_scheme(allow_server):
    with pytest.raises(FetchRefused) as info:
        fetch(allow_server.url("/redirect?to=file:///etc/passwd"))
    assert info.value.reason_code == "scheme"


def test_huge_body_refused_by_content_length(allow_server):
    with pytest.raises(FetchRefused, match="larger than the 1 MiB limit") as info:
        fetch(allow_server.url("/huge?size=3000000"))
    assert info.value.reason_code == "too_large"


@pytest.mark.parametrize("mode", ["none", "chunked"])
def test_huge_body_refused_while_streaming(allow_server, mode):
    with pytest.raises(FetchRefused, match="larger than the 1 MiB limit"):
        fetch(allow_server.url(f"/huge?size=3000000&length={mode}"))


def test_lying_content_length_is_not_trusted_beyond_itself(allow_server):
    result = fetch(allow_server.url("/huge?size=3000000&length=lie"))
    assert len(result.body) == 1000


def test_small_streamed_body_is_accepted(allow_server):
    result = fetch(allow_server.url("/huge?size=200000&length=chunked"))
    assert len(result.body) == 200000


def test_slow_response_times_out(allow_server, settings):
    settings.FETCH_READ_TIMEOUT = 0.5
    with pytest.raises(FetchTimeout) as info:
        fetch(allow_server.url("/slow?seconds=2"))
    assert info.value.transient is True


def test_total_deadline(allow_server, settings):
    settings.FETCH_READ_TIMEOUT = 5
    settings.FETCH_TOTAL_TIMEOUT = 0.5
    with pytest.raises(FetchTimeout, match="deadline|Timed out"):
        fetch(allow_server.url("/slow?seconds=2"))


def test_connection_refused_is_transient(allow_server, settings, loopback_only):
    with socket.socket() as spare:
        spare.bind(("127.0.0.1", 0))
        port = spare.getsockname()[1]
    settings.FETCH_ALLOW_LOOPBACK = "1"
    with pytest.raises(FetchConnectionError) as info:
        fetch(f"http://127.0.0.1:{port}/")
    assert info.value.transient is True


@pytest.mark.parametrize("code, transient", [(404, False), (410, False), (403, False),
                                              (429, True), (500, True), (503, True)])
def test_http_errors(allow_server, code, transient):
    with pytest.raises(FetchHTTPError) as info:
        fetch(allow_server.url(f"/status/{code}"))
    assert info.value.status == code
    assert info.value.transient is transient
    assert isinstance(info.value, FetchError)
    if code in (429, 503):
        assert info.value.retry_after == 7


def test_pdf_accepted(allow_server):
    result = fetch(allow_server.url("/factcheck.pdf"))
    assert result.is_pdf
    assert result.body.startswith(b"%PDF-")


def test_disallowed_content_type_refused(allow_server):
    allow_server.add_route("/image.png", b"\x89PNG\r\n\x1a\n....", "image/png")
    with pytest.raises(FetchRefused, match="image/png") as info:
        fetch(allow_server.url("/image.png"))
    assert info.value.reason_code == "content_type"


def test_feed_types_need_accept_feeds(allow_server):
    with pytest.raises(FetchRefused, match="application/rss\\+xml"):
        fetch(allow_server.url("/feed_rss2.xml?content_type=application/rss%2Bxml"))
    result = fetch(allow_server.url("/feed_rss2.xml?content_type=application/rss%2Bxml"),
                   accept_feeds=True)
    assert result.content_type == "application/rss+xml"
    json_result = fetch(allow_server.url("/gdelt_artlist.json"), accept_feeds=True)
    assert json_result.content_type == "application/json"


def test_missing_content_type_is_sniffed(allow_server):
    allow_server.add_route("/no-type", b"%PDF-1.4 fake", content_type="")
    assert fetch(allow_server.url("/no-type")).content_type == "application/pdf"
    allow_server.add_route("/no-type-bin", b"\x00\x01binary", content_type="application/octet-stream")
    with pytest.raises(FetchRefused, match="does not look like"):
        fetch(allow_server.url("/no-type-bin"))


def test_conditional_get_returns_not_modified(allow_server):
    first = fetch(allow_server.url("/etag/page"))
    assert first.status == 200 and not first.not_modified
    assert first.etag == '"v1-page"'
    again = fetch(allow_server.url("/etag/page"), etag=first.etag)
    assert again.not_modified is True
    assert again.status == 304
    assert again.body == b""
    assert allow_server.requests[-1].headers["if-none-match"] == '"v1-page"'
    by_date = fetch(allow_server.url("/etag/page"), last_modified=first.last_modified)
    assert by_date.not_modified is True
    changed = fetch(allow_server.url("/etag/page"), etag='"v0-page"')
    assert changed.status == 200


def test_gzip_response_is_decoded_and_capped(allow_server):
    import gzip

    allow_server.add_route("/gz", gzip.compress(b"<p>hello</p>"), headers={"Content-Encoding": "gzip"})
    assert fetch(allow_server.url("/gz")).body == b"<p>hello</p>"
    bomb = gzip.compress(b"a" * (4 * 1024 * 1024))  # ~4 KiB on the wire, 4 MiB inflated
    allow_server.add_route("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchRefused, match="limit"):
        fetch(allow_server.url("/bomb"))


# --------------------------------------------------------------------------- decoding


def test_wrong_encoding_pages_decode(allow_server):
    # header says utf-8, body is windows-1251 with a <meta> saying so
    ru = fetch(allow_server.url("/article_cp1251.html"))
    assert ru.charset == "utf-8"
    text = ru.text
    assert "Россия просила Китай" in text
    # header says utf-8, body is latin-1 with no declaration -> cp1252 fallback
    fr = fetch(allow_server.url("/article_latin1.html"))
    assert "Pékin dément" in fr.text


@pytest.mark.parametrize(
    "body, declared, expected",
    [
        ("café".encode(), "utf-8", "café"),
        ("café".encode(), "iso-8859-1", "café"),  # Latin-1 label on UTF-8 bytes
        ("café".encode("cp1252"), None, "café"),
        ("Привет".encode("cp1251"), "windows-1251", "Привет"),
        (b"\xef\xbb\xbfbom", "latin-1", "bom"),
        (b"x", "no-such-charset", "x"),
        (b"", "utf-8", ""),
    ],
)
def test_decode_body(body, declared, expected):
    assert decode_body(body, declared, "text/html") == expected


def test_decode_body_never_raises_on_garbage():
    garbage = bytes(range(256)) * 4
    for declared in (None, "utf-8", "utf-16", "bogus", "shift_jis"):
        assert isinstance(decode_body(garbage, declared, "text/html"), str)


# --------------------------------------------------------------------------- URL helpers


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("HTTPS://WWW.Example.COM:443/Path?b=2&utm_source=x&a=1&fbclid=z#frag",
         "https://www.example.com/Path?b=2&a=1"),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/x?gclid=1", "http://example.com:8080/x"),
        ("https://example.com/a?q=hello%20world&UTM_Medium=y", "https://example.com/a?q=hello%20world"),
        ("https://example.com/a?z=1&y=2", "https://example.com/a?z=1&y=2"),
        ("http://Bücher.example/", "http://xn--bcher-kva.example/"),
    ],
)
def test_normalise_url(raw, expected):
    assert normalise_url(raw) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://www.bbc.co.uk/news/world", "bbc.co.uk"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("https://edition.cnn.com:443/x", "cnn.com"),
        ("WWW.TheGuardian.com", "theguardian.com"),
        ("http://127.0.0.1:8000/", "127.0.0.1"),
        ("localhost", "localhost"),
        ("", ""),
    ],
)
def test_registrable_domain(value, expected):
    assert registrable_domain(value) == expected


def test_registrable_domain_uses_no_network(monkeypatch):
    fetching.urls._tld_extractor.cache_clear()

    def no_network(*args, **kwargs):
        raise AssertionError("tldextract tried to reach the network")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    assert registrable_domain("https://a.b.example.co.jp/x") == "example.co.jp"


# --------------------------------------------------------------------------- TLS, pinned + SNI


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS server on 127.0.0.1 with a self-signed cert for news.example.test."""
    import shutil
    import ssl
    import subprocess
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    if not shutil.which("openssl"):
        pytest.skip("openssl not available to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=news.example.test", "-addext", "subjectAltName=DNS:news.example.test",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=30,
    )
    seen: dict[str, str | None] = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            seen["host"] = self.headers.get("Host")
            body = b"<html><body><p>secure</p></body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    def on_sni(sslsock, name, ctx):
        seen["sni"] = name

    context.sni_callback = on_sni
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1], cert, seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_https_untrusted_certificate_is_refused(tls_server, settings, monkeypatch, loopback_only):
    port, _cert, seen = tls_server
    settings.FETCH_ALLOW_LOOPBACK = str(port)
    monkeypatch.setattr(fetching.addresses, "resolve_host", lambda host, p: ["127.0.0.1"])
    with pytest.raises(fetching.FetchTLSError) as info:
        fetch(f"https://news.example.test:{port}/")
    assert info.value.transient is False
    assert seen.get("sni") == "news.example.test"


def test_https_pinned_ip_with_sni_and_host(tls_server, settings, monkeypatch, loopback_only):
    import ssl

    port, cert, seen = tls_server
    settings.FETCH_ALLOW_LOOPBACK = str(port)
    monkeypatch.setattr(fetching.addresses, "resolve_host", lambda host, p: ["127.0.0.1"])
    monkeypatch.setattr(fetching.connection, "_ssl_context", lambda: ssl.create_default_context(cafile=str(cert)))
    result = fetch(f"https://news.example.test:{port}/page")
    assert result.status == 200 and b"secure" in result.body
    assert seen["sni"] == "news.example.test"  # certificate checked against the name...
    assert seen["host"] == f"news.example.test:{port}"
    assert loopback_only == [("127.0.0.1", port)]  # ...while connecting to the pinned IP

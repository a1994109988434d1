"""The safe fetcher: the only way the product reaches the web.

Policy (see ``fetch``):

* http and https only; no credentials in URLs; a host is required.
* DNS is resolved here (``resolve_host``) and *every* resolved address is checked by
  ``check_address``; a private, loopback (unless allowed by ``FETCH_ALLOW_LOOPBACK``),
  link-local, multicast, reserved, unspecified or otherwise non-global address refuses
  the whole request. The connection is then made to the checked IP (pinned), with the
  real host name in the Host header and in TLS SNI/certificate verification, so a DNS
  answer that changes between check and connect (rebinding) cannot redirect us.
* Every redirect hop is re-validated; redirects are capped.
* One total deadline (``FETCH_TOTAL_TIMEOUT``) bounds the whole fetch, every phase and
  every redirect hop: DNS resolution (run with a timeout), each connect attempt across the
  resolved addresses, the TLS handshake, response headers however slowly they are sent,
  chunk-size lines, error-page bodies and the body itself. Connect and read timeouts bound
  each single wait within it. A body size cap; a content-type allow-list.

Errors: ``FetchRefused`` (policy, permanent) and ``FetchError`` subclasses for network
problems. Every ``FetchError`` has ``transient: bool``; the task layer retries only those
with ``transient=True`` (timeouts, connection failures, HTTP 5xx/408/429).

Settings (read at call time from ``django.conf.settings`` with defaults):
``FETCH_ALLOW_LOOPBACK`` ("" off, "1" 127.0.0.1 on any port, "8001,8002" only those ports;
never any other loopback address or spelling),
``FETCH_MAX_BYTES`` (5 MiB), ``FETCH_CONNECT_TIMEOUT`` (5 s), ``FETCH_READ_TIMEOUT`` (10 s),
``FETCH_TOTAL_TIMEOUT`` (30 s), ``FETCH_MAX_REDIRECTS`` (5), ``FETCH_USER_AGENT``,
``FETCH_CA_FILE`` (extra certificate authorities to trust, beside certifi's).
"""

from __future__ import annotations

import codecs
import http.client
import io
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote, unquote_plus, urljoin, urlsplit, urlunsplit

__all__ = [
    "DEFAULT_USER_AGENT",
    "FEED_CONTENT_TYPES",
    "PAGE_CONTENT_TYPES",
    "FetchConnectionError",
    "FetchError",
    "FetchHTTPError",
    "FetchRefused",
    "FetchResult",
    "FetchTLSError",
    "FetchTimeout",
    "check_address",
    "check_url",
    "decode_body",
    "fetch",
    "normalise_url",
    "registrable_domain",
    "resolve_host",
]

DEFAULT_USER_AGENT = "FactDeskBot/0.1 (newsroom fact-checking workbench)"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

PAGE_CONTENT_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "application/pdf"}
)
FEED_CONTENT_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/x-rss+xml",
        "application/atom+xml",
        "application/x-atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/json",
        "application/feed+json",
    }
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
TRANSIENT_HTTP_STATUSES = frozenset({408, 425, 429})
_CHUNK = 64 * 1024
ERROR_BODY_BYTES = 4096
ERROR_BODY_SECONDS = 2.0  # at most this long (within the deadline) for an error page's excerpt


# --------------------------------------------------------------------------- errors


class FetchError(Exception):
    """Base class of every fetch failure. ``transient`` tells the task layer to retry."""

    transient: bool = False
    reason_code: str = "error"

    def __init__(self, message: str, *, url: str | None = None, reason_code: str | None = None):
        super().__init__(message)
        self.message = message
        self.url = url
        if reason_code is not None:
            self.reason_code = reason_code

    def __str__(self) -> str:
        return self.message


class FetchRefused(FetchError):
    """The request violates policy (address, scheme, size, type...). Never retried."""

    transient = False

    def __init__(self, reason_code: str, message: str, *, url: str | None = None):
        super().__init__(message, url=url, reason_code=reason_code)


class FetchTimeout(FetchError):
    transient = True
    reason_code = "timeout"


class FetchConnectionError(FetchError):
    """DNS failure, refused/reset connection, truncated response. Retried."""

    transient = True
    reason_code = "connection"


class FetchTLSError(FetchError):
    """Certificate/handshake failure: retrying soon will not help."""

    transient = False
    reason_code = "tls"


class FetchHTTPError(FetchError):
    """A non-success HTTP status. 5xx, 408, 425 and 429 are transient; other 4xx are not."""

    reason_code = "http_status"

    def __init__(self, status: int, message: str, *, url: str | None = None,
                 retry_after: float | None = None):
        super().__init__(message, url=url)
        self.status = status
        self.retry_after = retry_after
        self.body = b""  # first bytes of the error response, if they could be read
        self.transient = status >= 500 or status in TRANSIENT_HTTP_STATUSES


# --------------------------------------------------------------------------- result


@dataclass
class FetchResult:
    requested_url: str
    final_url: str
    status: int
    headers: dict[str, str]
    content_type: str
    charset: str | None
    body: bytes
    redirects: list[str] = field(default_factory=list)  # URLs that answered with a redirect
    elapsed: float = 0.0  # seconds, whole fetch including redirects
    not_modified: bool = False  # True for a 304 answer to a conditional GET
    ip: str | None = None  # the pinned peer address of the final hop

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def is_html(self) -> bool:
        return self.content_type in ("text/html", "application/xhtml+xml")

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"

    @property
    def text(self) -> str:
        return decode_body(self.body, self.charset, self.content_type)


# --------------------------------------------------------------------------- settings


def _setting(name: str, default):
    try:
        from django.conf import settings

        return getattr(settings, name, default)
    except Exception:  # settings not configured: pure-Python use
        return default


def _loopback_allowance() -> bool | frozenset[int]:
    """False (off), True (any port) or the set of allowed ports."""
    raw = _setting("FETCH_ALLOW_LOOPBACK", "")
    if raw is True:
        return True
    if not raw:
        return False
    if isinstance(raw, int):
        raw = str(raw)
    if isinstance(raw, list | tuple | set | frozenset):
        raw = ",".join(str(p) for p in raw)
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on", "all", "*"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    ports = set()
    for part in text.split(","):
        part = part.strip()
        if part.isdigit():
            ports.add(int(part))
    return frozenset(ports)


# --------------------------------------------------------------------------- address policy

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_ALLOWED_LOOPBACK = ipaddress.IPv4Address("127.0.0.1")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    # IPv4-compatible (deprecated) ::a.b.c.d
    if int(ip) >> 32 == 0 and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip))
    return None


def _classify(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Return the name of the forbidden category ``ip`` falls in, or None if public."""
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in ipaddress.ip_network("100.64.0.0/10"):
        return "shared (carrier-grade NAT)"
    if ip.is_private:
        return "private"
    if ip.is_reserved:
        return "reserved"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local"
    if not ip.is_global:
        return "non-public"
    return None


_CATEGORY_CODES = {
    "unspecified": "unspecified_address",
    "loopback": "loopback_address",
    "link-local": "link_local_address",
    "multicast": "multicast_address",
    "private": "private_address",
    "reserved": "reserved_address",
    "site-local": "private_address",
    "shared (carrier-grade NAT)": "private_address",
    "non-public": "non_public_address",
}


def check_address(ip_string: str, port: int | None = None, *, host: str | None = None) -> None:
    """Refuse (raise ``FetchRefused``) unless ``ip_string`` is a public unicast address.

    Loopback is refused, except the one address 127.0.0.1 (written as IPv4) when
    ``FETCH_ALLOW_LOOPBACK`` permits it for ``port``. Makes no connection.
    """
    label = host or ip_string
    raw = str(ip_string).split("%", 1)[0].strip("[]")
    try:
        ip = ipaddress.ip_address(raw)
    except ValueError:
        raise FetchRefused("invalid_address", f"Refused: {ip_string!r} is not an IP address") from None

    # ::ffff:10.0.0.1, 6to4, Teredo, NAT64: judge by the embedded IPv4 address first,
    # then by the IPv6 form itself (which refuses the transition ranges as non-public).
    inner = _embedded_ipv4(ip) if isinstance(ip, ipaddress.IPv6Address) else None
    category = (_classify(inner) if inner is not None else None) or _classify(ip)
    if category is None:
        return None

    what = f"{label} resolves to {ip_string}" if host and host != ip_string else f"{ip_string}"
    if category == "loopback":
        allowance = _loopback_allowance()
        if allowance and ip != _ALLOWED_LOOPBACK:
            # The allowance names one address, spelled one way: 127.0.0.2, ::1 and the
            # IPv4-mapped, NAT64, 6to4 or compatible spellings of 127.0.0.1 stay refused.
            raise FetchRefused(
                "loopback_address",
                f"Refused: {what}, a loopback address; only 127.0.0.1 may be allowed",
            )
        if allowance is True or (allowance and port in allowance):
            return None
        if allowance:
            ports = ", ".join(str(p) for p in sorted(allowance))
            raise FetchRefused(
                "loopback_address",
                f"Refused: {what}, a loopback address, on port {port}; "
                f"loopback is allowed only on port(s) {ports}",
            )
        raise FetchRefused("loopback_address", f"Refused: {what}, a loopback address")
    article = "an" if category[0] in "aeiou" else "a"
    raise FetchRefused(_CATEGORY_CODES[category], f"Refused: {what}, {article} {category} address")


def resolve_host(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (deduplicated, resolver order).

    Tests monkeypatch this function to control resolution.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchConnectionError(f"Could not resolve {host}: {exc.strerror or exc}") from exc
    except UnicodeError as exc:
        raise FetchRefused("invalid_host", f"Refused: invalid host name {host!r}") from exc
    addresses: list[str] = []
    for family, _type, _proto, _canon, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        addr = str(sockaddr[0]).split("%", 1)[0]
        if addr not in addresses:
            addresses.append(addr)
    return addresses


# --------------------------------------------------------------------------- URL policy


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # ASCII (punycode) host, no brackets
    port: int
    path: str  # path + query, for the request line
    is_ip: bool


def _ascii_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host:
        return host
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        return host
    except ValueError:
        pass
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def check_url(url: str) -> _Target:
    """Validate the URL's shape (not its addresses). Raises ``FetchRefused``."""
    if not isinstance(url, str) or not url.strip():
        raise FetchRefused("invalid_url", "Refused: empty URL", url=url)
    url = url.strip()
    if any(c in url for c in "\r\n\t\x00"):
        raise FetchRefused("invalid_url", "Refused: URL contains control characters", url=url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchRefused("invalid_url", f"Refused: malformed URL ({exc})", url=url) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = scheme or "no scheme"
        raise FetchRefused("scheme", f"Refused: {shown!s} URLs are not fetched (http and https only)", url=url)
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise FetchRefused("credentials", "Refused: URLs with embedded credentials are not fetched", url=url)
    host = _ascii_host(parts.hostname or "")
    if not host:
        raise FetchRefused("no_host", "Refused: URL has no host", url=url)
    if port == 0:
        raise FetchRefused("invalid_url", "Refused: port 0", url=url)
    is_ip = True
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        is_ip = False
        if not re.fullmatch(r"[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*", host):
            raise FetchRefused("invalid_host", f"Refused: invalid host name {host!r}", url=url) from None
    if port is None:
        port = 443 if scheme == "https" else 80
    path = parts.path or "/"
    # re-quote anything unsafe (spaces, non-ASCII) without touching existing escapes
    path = quote(path, safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return _Target(url=url, scheme=scheme, host=host, port=port, path=path, is_ip=is_ip)


def _resolve_within(target: _Target, timeout: float) -> list[str]:
    """``resolve_host`` bounded by ``timeout``: the system resolver has no timeout of its
    own, so it runs in a daemon thread that is left behind if it does not answer in time."""
    outcome: dict[str, object] = {}

    def lookup() -> None:
        try:
            outcome["addresses"] = resolve_host(target.host, target.port)
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=lookup, name="fetch-dns", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise FetchTimeout(f"Timed out resolving {target.host} after {timeout:.3g} s", url=target.url)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["addresses"]


def _checked_addresses(target: _Target, deadline: _Deadline, connect_timeout: float) -> list[str]:
    if target.is_ip:
        addresses = [target.host.split("%", 1)[0]]
    else:
        addresses = _resolve_within(target, min(connect_timeout, deadline.remaining()))
        if not addresses:
            raise FetchConnectionError(f"Could not resolve {target.host}: no addresses", url=target.url)
    for address in addresses:  # ALL must pass: one bad answer refuses the host
        check_address(address, target.port, host=None if target.is_ip else target.host)
    return addresses


# --------------------------------------------------------------------------- connection


def _connect(ip: str, port: int, timeout: float) -> socket.socket:
    """Open a TCP connection to an already-checked IP. Tests patch this to spy on connects."""
    return socket.create_connection((ip, port), timeout=timeout)


def _ssl_context() -> ssl.SSLContext:
    return _ssl_context_trusting(str(_setting("FETCH_CA_FILE", "") or ""))


@lru_cache(maxsize=4)
def _ssl_context_trusting(extra_ca_file: str) -> ssl.SSLContext:
    """certifi's authorities, plus those in ``FETCH_CA_FILE`` (a newsroom's own proxy CA)."""
    try:
        import certifi

        ctx = ssl.create_default_context(cafile=certifi.where())
    except ImportError:  # pragma: no cover
        ctx = ssl.create_default_context()
    if extra_ca_file:
        ctx.load_verify_locations(cafile=extra_ca_file)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


class _DeadlineReader(io.RawIOBase):
    """Every read from the socket waits at most the read timeout and never past the
    deadline, so a server that drips its headers, chunk-size lines or body a byte at a
    time is cut off at the deadline like one that sends nothing."""

    def __init__(self, owner: _DeadlineSocket):
        super().__init__()
        self._owner = owner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._owner.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            super().close()
            self._owner.release()


class _DeadlineSocket:
    """The connected socket as http.client sees it: every send and receive is bounded by
    the read timeout and by the fetch's one deadline (``FetchTimeout`` once it has passed)."""

    def __init__(self, sock: socket.socket, deadline: _Deadline, read_timeout: float):
        self._sock = sock
        self.deadline = deadline
        self._read_timeout = read_timeout
        # Like socket.makefile(): the response's reader keeps the socket open after
        # http.client "closes" the connection, until the reader is closed too.
        self._users = 1
        self._closed = False

    def _arm(self) -> None:
        self._sock.settimeout(min(self._read_timeout, self.deadline.remaining()))

    def recv_into(self, buffer) -> int:
        self._arm()
        return self._sock.recv_into(buffer)

    def makefile(self, mode: str = "rb", *args, **kwargs):
        self._users += 1
        return io.BufferedReader(_DeadlineReader(self))

    def sendall(self, data) -> None:
        self._arm()
        self._sock.sendall(data)

    def tighten(self, seconds: float) -> None:
        """Allow at most ``seconds`` more (and never past the current deadline)."""
        self.deadline = _Deadline(min(seconds, self.deadline.remaining()), self.deadline.url)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.release()

    def release(self) -> None:
        self._users -= 1
        if self._users <= 0:
            self._sock.close()


class _PinnedConnection(http.client.HTTPConnection):
    """HTTPConnection whose socket is supplied already connected (and maybe TLS-wrapped)."""

    def __init__(self, host: str, port: int, sock: socket.socket, default_port: int, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.default_port = default_port  # so the Host header omits :443 / :80
        self.sock = sock

    def connect(self) -> None:  # never dial by host name
        if self.sock is None:
            raise FetchConnectionError("connection already closed")


def _open_pinned(target: _Target, addresses: list[str], connect_timeout: float,
                 deadline: _Deadline) -> tuple[socket.socket, str]:
    """Connect to the first checked address that answers, trying them in order; each attempt
    waits at most ``connect_timeout`` and all of them together stop at the deadline."""
    last_exc: Exception | None = None
    for ip in addresses:
        timeout = min(connect_timeout, deadline.remaining())
        try:
            sock = _connect(ip, target.port, timeout)
        except OSError as exc:  # refused, unreachable, or timed out (TimeoutError)
            last_exc = exc
            continue
        try:
            if target.scheme == "https":
                # The socket timeout bounds the whole handshake, not each byte of it (ssl
                # since 3.5), so a handshake dripped byte by byte stops at the deadline too.
                sock.settimeout(min(connect_timeout, deadline.remaining()))
                sni = None if target.is_ip else target.host
                sock = _ssl_context().wrap_socket(sock, server_hostname=sni or target.host)
            return sock, ip
        except ssl.SSLCertVerificationError as exc:
            sock.close()
            raise FetchTLSError(f"TLS certificate for {target.host} rejected: {exc.verify_message}",
                                url=target.url) from exc
        except ssl.SSLError as exc:
            sock.close()
            raise FetchTLSError(f"TLS handshake with {target.host} failed: {exc}", url=target.url) from exc
        except TimeoutError as exc:
            sock.close()
            raise FetchTimeout(f"Timed out during TLS handshake with {target.host}", url=target.url) from exc
        except FetchError:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            last_exc = exc
    deadline.remaining()  # the deadline passing is the better explanation, if it has
    if isinstance(last_exc, TimeoutError):
        raise FetchTimeout(f"Timed out connecting to {target.host} after {connect_timeout:g} s",
                           url=target.url) from last_exc
    raise FetchConnectionError(f"Could not connect to {target.host}:{target.port}: {last_exc}",
                               url=target.url) from last_exc


# --------------------------------------------------------------------------- helpers


def _parse_content_type(value: str | None) -> tuple[str, str | None]:
    if not value:
        return "", None
    mime, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower() or None
    return mime.strip().lower(), charset


def _sniff_type(body: bytes) -> str:
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"%pdf-"):
        return "application/pdf"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]:
        return "text/html"
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf")):
        return "application/xml"
    if head.startswith((b"{", b"[")):
        return "application/json"
    return ""


def _human_bytes(n: int) -> str:
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MiB"
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.0f} KiB"
    return f"{n} bytes"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        from email.utils import parsedate_to_datetime

        delta = parsedate_to_datetime(value).timestamp() - time.time()
        return max(0.0, delta)
    except (TypeError, ValueError):
        return None


class _Deadline:
    def __init__(self, total: float, url: str):
        self.end = time.monotonic() + total
        self.total = total
        self.url = url

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise FetchTimeout(f"Fetch of {self.url} exceeded the total deadline of {self.total:g} s",
                               url=self.url)
        return left


def _read_body(response: http.client.HTTPResponse, max_bytes: int, url: str) -> bytes:
    encoding = (response.getheader("Content-Encoding") or "").strip().lower()
    decompressor = None
    if encoding in ("gzip", "x-gzip"):
        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decompressor = zlib.decompressobj()
    elif encoding not in ("", "identity"):
        raise FetchRefused("content_encoding", f"Refused: unsupported Content-Encoding {encoding!r}", url=url)
    too_large = FetchRefused(
        "too_large",
        f"Refused: response from {url} is larger than the {_human_bytes(max_bytes)} limit",
        url=url,
    )
    chunks: list[bytes] = []
    size = 0
    raw_size = 0
    while True:  # each read is bounded by the socket's deadline (see _DeadlineSocket)
        chunk = response.read1(_CHUNK) if hasattr(response, "read1") else response.read(_CHUNK)
        if not chunk:
            break
        raw_size += len(chunk)
        if raw_size > max_bytes:
            raise too_large
        if decompressor is not None:
            chunk = decompressor.decompress(chunk, max_bytes + 1 - size)
            if decompressor.unconsumed_tail:
                raise too_large
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    if decompressor is not None:
        tail = decompressor.flush()
        size += len(tail)
        if size > max_bytes:
            raise too_large
        chunks.append(tail)
    return b"".join(chunks)


# --------------------------------------------------------------------------- fetch


def _counting_errors(function):
    """Count every failed fetch by its reason for the operations metrics (sources.metrics)."""
    from functools import wraps

    @wraps(function)
    def counted(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except FetchError as exc:
            from sources.metrics import fetch_error_observed

            fetch_error_observed(exc.reason_code)
            raise

    return counted


@_counting_errors
def fetch(
    url: str,
    *,
    accept_feeds: bool = False,
    etag: str | None = None,
    last_modified: str | None = None,
    extra_headers: dict[str, str] | None = None,
    max_bytes: int | None = None,
    allowed_content_types: frozenset[str] | set[str] | None = None,
) -> FetchResult:
    """GET ``url`` under the safety policy. See module docstring.

    ``etag``/``last_modified`` make the request conditional; a 304 comes back as a
    ``FetchResult`` with ``not_modified=True`` and an empty body.
    """
    connect_timeout = float(_setting("FETCH_CONNECT_TIMEOUT", 5))
    read_timeout = float(_setting("FETCH_READ_TIMEOUT", 10))
    total_timeout = float(_setting("FETCH_TOTAL_TIMEOUT", 30))
    max_redirects = int(_setting("FETCH_MAX_REDIRECTS", 5))
    if max_bytes is None:
        max_bytes = int(_setting("FETCH_MAX_BYTES", DEFAULT_MAX_BYTES))
    user_agent = _setting("FETCH_USER_AGENT", None) or DEFAULT_USER_AGENT
    if allowed_content_types is None:
        allowed = set(PAGE_CONTENT_TYPES)
        if accept_feeds:
            allowed |= FEED_CONTENT_TYPES
    else:
        allowed = {t.lower() for t in allowed_content_types}

    started = time.monotonic()
    deadline = _Deadline(total_timeout, url)
    redirects: list[str] = []
    current = url

    while True:
        target = check_url(current)
        addresses = _checked_addresses(target, deadline, connect_timeout)
        raw_sock, ip = _open_pinned(target, addresses, connect_timeout, deadline)
        sock = _DeadlineSocket(raw_sock, deadline, read_timeout)
        conn = _PinnedConnection(target.host, target.port, sock,
                                 443 if target.scheme == "https" else 80, read_timeout)
        try:
            headers = {
                "User-Agent": user_agent,
                "Accept": ", ".join(sorted(allowed)) + ", */*;q=0.1",
                "Accept-Encoding": "gzip, deflate",
                "Connection": "close",
            }
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            if extra_headers:
                headers.update(extra_headers)
            try:
                conn.request("GET", target.path, headers=headers)
                response = conn.getresponse()
            except TimeoutError as exc:
                raise FetchTimeout(
                    f"Timed out waiting for {target.host} after {read_timeout:g} s", url=current
                ) from exc
            except (http.client.HTTPException, OSError) as exc:
                raise FetchConnectionError(f"Connection to {target.host} failed: {exc!r}", url=current) from exc

            status = response.status
            resp_headers = {k.lower(): v for k, v in response.getheaders()}

            if status in REDIRECT_STATUSES and resp_headers.get("location"):
                redirects.append(current)
                if len(redirects) > max_redirects:
                    raise FetchRefused(
                        "too_many_redirects",
                        f"Refused: more than {max_redirects} redirects starting from {url}",
                        url=url,
                    )
                nxt = urljoin(current, resp_headers["location"].strip())
                current = nxt.split("#", 1)[0] if "#" in nxt else nxt
                continue

            content_type, charset = _parse_content_type(resp_headers.get("content-type"))
            common = dict(
                requested_url=url, final_url=current, status=status, headers=resp_headers,
                content_type=content_type, charset=charset, redirects=redirects, ip=ip,
            )
            if status == 304:
                return FetchResult(body=b"", elapsed=time.monotonic() - started,
                                   not_modified=True, **common)
            if status >= 300 or status < 200:
                error = FetchHTTPError(
                    status,
                    f"HTTP {status} {response.reason} from {current}",
                    url=current,
                    retry_after=_retry_after(resp_headers.get("retry-after")),
                )
                try:  # a short, best-effort excerpt: APIs explain their errors there
                    sock.tighten(ERROR_BODY_SECONDS)
                    excerpt = response.read(ERROR_BODY_BYTES) or b""
                    if resp_headers.get("content-encoding", "").lower() in ("gzip", "x-gzip"):
                        excerpt = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(excerpt, 65536)
                    error.body = excerpt
                except (OSError, http.client.HTTPException, FetchError, zlib.error):
                    pass
                raise error
            declared = resp_headers.get("content-length", "").strip()
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchRefused(
                    "too_large",
                    f"Refused: response from {current} is {_human_bytes(int(declared))}, "
                    f"larger than the {_human_bytes(max_bytes)} limit",
                    url=current,
                )
            sniff_needed = content_type in ("", "application/octet-stream", "binary/octet-stream")
            if not sniff_needed and content_type not in allowed:
                raise FetchRefused(
                    "content_type",
                    f"Refused: {current} is {content_type}, which is not an accepted content type",
                    url=current,
                )
            try:
                body = _read_body(response, max_bytes, current)
            except TimeoutError as exc:
                raise FetchTimeout(f"Timed out reading from {target.host}", url=current) from exc
            except zlib.error as exc:
                raise FetchConnectionError(f"Corrupt compressed body from {current}: {exc}", url=current) from exc
            except (http.client.HTTPException, OSError) as exc:
                raise FetchConnectionError(f"Connection to {target.host} broke: {exc!r}", url=current) from exc
            if sniff_needed:
                sniffed = _sniff_type(body)
                if sniffed not in allowed:
                    shown = content_type or "no Content-Type"
                    raise FetchRefused(
                        "content_type",
                        f"Refused: {current} has {shown} and does not look like an accepted type",
                        url=current,
                    )
                common["content_type"] = sniffed
            return FetchResult(body=body, elapsed=time.monotonic() - started, **common)
        finally:
            conn.close()


# --------------------------------------------------------------------------- URL helpers

_TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid",
     "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok"}
)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in _TRACKING_PARAMS


def normalise_url(url: str) -> str:
    """Canonical form used for source uniqueness.

    Lowercases scheme and host (IDN to punycode), drops credentials, default ports,
    the fragment and tracking parameters (utm_*, fbclid, gclid, ...). Everything else —
    path case, other parameters and their order — is kept as is. An empty path becomes "/".
    """
    url = (url or "").strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = _ascii_host(parts.hostname or "")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and not (
        (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
    ):
        netloc += f":{port}"
    path = parts.path or ("/" if netloc else "")
    query = parts.query
    if query:  # filter raw "k=v" segments so kept parameters keep their exact encoding
        kept = [seg for seg in query.split("&")
                if seg and not _is_tracking(unquote_plus(seg.split("=", 1)[0]))]
        query = "&".join(kept)
    return urlunsplit((scheme, netloc, path, query, ""))


@lru_cache(maxsize=1)
def _tld_extractor():
    import tldextract

    # suffix_list_urls=() + cache_dir=None: only the snapshot bundled with the package, no network
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def registrable_domain(url_or_host: str) -> str:
    """``https://www.bbc.co.uk/x`` -> ``bbc.co.uk``. IPs and suffix-less hosts come back as is."""
    value = (url_or_host or "").strip()
    if not value:
        return ""
    if "://" in value:
        host = urlsplit(value).hostname or ""
    else:
        host = urlsplit("//" + value).hostname or value.split("/", 1)[0]
    host = _ascii_host(host)
    if not host:
        return ""
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    ext = _tld_extractor()(host)
    if hasattr(type(ext), "top_domain_under_public_suffix"):
        domain = ext.top_domain_under_public_suffix
    else:  # tldextract < 5.3
        domain = ext.registered_domain
    return domain or host


# --------------------------------------------------------------------------- decoding

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_LATIN1_ALIASES = {"latin_1", "iso8859-1", "ascii"}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        info = codecs.lookup(name.strip().strip("\"'"))
    except (LookupError, ValueError):
        return None
    if info.name in ("utf-16", "utf-32", "utf-16-le", "utf-16-be"):
        return info.name
    if info.name in _LATIN1_ALIASES:  # WHATWG: latin-1/ascii labels mean windows-1252
        return "cp1252"
    return info.name


def _try(body: bytes, codec: str | None) -> str | None:
    if not codec:
        return None
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_body(body: bytes, declared_charset: str | None = None, content_type: str | None = None) -> str:
    """Decode a response body without ever raising.

    Order: BOM, declared charset, in-document declaration (<meta charset>, <?xml encoding>),
    UTF-8, then windows-1252 with replacement characters.
    """
    if not body:
        return ""
    if isinstance(body, str):
        return body
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(codec, errors="replace")

    declared = _codec(declared_charset)
    if declared == "cp1252":
        # a Latin-1 label on valid non-ASCII UTF-8 is nearly always a server default
        as_utf8 = _try(body, "utf-8")
        if as_utf8 is not None and not body.isascii():
            return as_utf8
    text = _try(body, declared)
    if text is not None:
        return text

    head = body[:4096]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if match:
        sniffed = _codec(match.group(1).decode("ascii", "ignore"))
        if sniffed and not sniffed.startswith("utf-16"):
            text = _try(body, sniffed)
            if text is not None:
                return text

    text = _try(body, "utf-8")
    if text is not None:
        return text
    return body.decode("cp1252", errors="replace")

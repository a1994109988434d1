"""The safe fetcher: the only way the product reaches the web.

Its parts: ``addresses`` (address policy, DNS), ``urls`` (URL policy, canonical URLs,
registrable domains), ``connection`` (pinned, deadline-bound connections), ``decoding``
(content types, character sets), ``results`` (``FetchResult`` and the errors) and
``config``. ``fetch`` below ties them together; ``posting.post_json`` POSTs a JSON body
(webhooks) under the same policy, following no redirect. Other code imports from here.

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

import http.client
import time
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from sources.fetching.addresses import _checked_addresses, check_address, resolve_host
from sources.fetching.config import (
    DEFAULT_MAX_BYTES,
    DEFAULT_USER_AGENT,
    ERROR_BODY_BYTES,
    ERROR_BODY_SECONDS,
    FEED_CONTENT_TYPES,
    PAGE_CONTENT_TYPES,
    REDIRECT_STATUSES,
    _setting,
)
from sources.fetching.connection import (
    _Deadline,
    _DeadlineSocket,
    _open_pinned,
    _PinnedConnection,
    _read_body,
)
from sources.fetching.decoding import (
    _human_bytes,
    _parse_content_type,
    _retry_after,
    _sniff_type,
    decode_body,
)
from sources.fetching.posting import PostResult, check_destination, post_json
from sources.fetching.results import (
    FetchConnectionError,
    FetchError,
    FetchHTTPError,
    FetchRefused,
    FetchResult,
    FetchTimeout,
    FetchTLSError,
)
from sources.fetching.urls import check_url, normalise_url, registrable_domain

__all__ = [
    "DEFAULT_USER_AGENT",
    "FEED_CONTENT_TYPES",
    "PAGE_CONTENT_TYPES",
    "PostResult",
    "FetchConnectionError",
    "FetchError",
    "FetchHTTPError",
    "FetchRefused",
    "FetchResult",
    "FetchTLSError",
    "FetchTimeout",
    "check_address",
    "check_destination",
    "check_url",
    "decode_body",
    "fetch",
    "normalise_url",
    "post_json",
    "registrable_domain",
    "resolve_host",
]


# --------------------------------------------------------------------------- fetch


def _counting_errors(function: Callable[..., FetchResult]) -> Callable[..., FetchResult]:
    """Count every failed fetch by its reason for the operations metrics (sources.metrics)."""
    from functools import wraps

    @wraps(function)
    def counted(*args: Any, **kwargs: Any) -> FetchResult:
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
            common: dict[str, Any] = dict(
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

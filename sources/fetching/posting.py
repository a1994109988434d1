"""POSTing a JSON body (webhooks, chat hooks) under exactly the fetcher's policy.

``post_json`` checks the URL (``check_url``) and every address its host resolves to
(``check_address``), connects to a checked address only (pinned, TLS verified against the
host name), and bounds the whole exchange by the one deadline (``FETCH_TOTAL_TIMEOUT``),
like ``fetch``. Unlike ``fetch`` it follows no redirect: a 3xx answer is a failure
(``FetchHTTPError``, not transient), because a POST that a receiver sends elsewhere is a
misconfigured endpoint, and following it would post the body to an address nobody chose.
The answer's body is not wanted: at most ``POST_RESPONSE_BYTES`` of it are read, for the
delivery log, within ``ERROR_BODY_SECONDS``.
"""

from __future__ import annotations

import http.client
import json
import time
from dataclasses import dataclass
from typing import Any

from sources.fetching.addresses import _checked_addresses
from sources.fetching.config import DEFAULT_USER_AGENT, ERROR_BODY_SECONDS, _setting
from sources.fetching.connection import _Deadline, _DeadlineSocket, _open_pinned, _PinnedConnection
from sources.fetching.decoding import _retry_after
from sources.fetching.results import (
    FetchConnectionError,
    FetchError,
    FetchHTTPError,
    FetchTimeout,
)
from sources.fetching.urls import check_url

POST_RESPONSE_BYTES = 1024  # of the receiver's answer, kept for the delivery log


@dataclass
class PostResult:
    """A 2xx answer to ``post_json``."""

    url: str
    status: int
    headers: dict[str, str]
    excerpt: bytes = b""  # the first bytes of the answer's body, if they came in time
    elapsed: float = 0.0
    ip: str | None = None


def check_destination(url: str) -> None:
    """Refuse (``FetchRefused``) a URL ``post_json`` would refuse, without connecting: its
    shape, then every address its host resolves to now. For checking a webhook's URL when
    it is saved; ``post_json`` checks again each time, since DNS answers change. A host that
    does not resolve raises ``FetchConnectionError``."""
    connect_timeout = float(_setting("FETCH_CONNECT_TIMEOUT", 5))
    target = check_url(url)
    _checked_addresses(target, _Deadline(connect_timeout, url), connect_timeout)


def _read_excerpt(response: http.client.HTTPResponse, sock: _DeadlineSocket) -> bytes:
    try:
        sock.tighten(ERROR_BODY_SECONDS)
        return response.read(POST_RESPONSE_BYTES) or b""
    except (OSError, http.client.HTTPException, FetchError):
        return b""


def post_json(url: str, body: bytes | str | Any, *, headers: dict[str, str] | None = None) -> PostResult:
    """POST ``body`` (bytes sent as they are, so a signature over them holds; anything else
    is encoded as JSON) to ``url`` with ``headers`` added, under the fetcher's policy.

    Returns a ``PostResult`` for a 2xx answer. Raises ``FetchRefused`` (policy),
    ``FetchHTTPError`` (any other status, 3xx included; ``status`` says which),
    ``FetchTimeout``, ``FetchConnectionError`` or ``FetchTLSError``.
    """
    try:
        return _post(url, body, headers or {})
    except FetchError as exc:
        from sources.metrics import fetch_error_observed

        fetch_error_observed(exc.reason_code)
        raise


def _post(url: str, body: bytes | str | Any, extra_headers: dict[str, str]) -> PostResult:
    if isinstance(body, str):
        data = body.encode("utf-8")
    elif isinstance(body, bytes | bytearray):
        data = bytes(body)
    else:
        data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    connect_timeout = float(_setting("FETCH_CONNECT_TIMEOUT", 5))
    read_timeout = float(_setting("FETCH_READ_TIMEOUT", 10))
    total_timeout = float(_setting("FETCH_TOTAL_TIMEOUT", 30))
    user_agent = _setting("FETCH_USER_AGENT", None) or DEFAULT_USER_AGENT

    started = time.monotonic()
    deadline = _Deadline(total_timeout, url)
    target = check_url(url)
    addresses = _checked_addresses(target, deadline, connect_timeout)
    raw_sock, ip = _open_pinned(target, addresses, connect_timeout, deadline)
    sock = _DeadlineSocket(raw_sock, deadline, read_timeout)
    conn = _PinnedConnection(target.host, target.port, sock,
                             443 if target.scheme == "https" else 80, read_timeout)
    try:
        request_headers = {
            "User-Agent": user_agent,
            "Content-Type": "application/json",
            "Accept": "*/*",
            "Accept-Encoding": "identity",
            "Connection": "close",
            **extra_headers,
        }
        try:
            conn.request("POST", target.path, body=data, headers=request_headers)
            response = conn.getresponse()
        except TimeoutError as exc:
            raise FetchTimeout(
                f"Timed out waiting for {target.host} after {read_timeout:g} s", url=url
            ) from exc
        except (http.client.HTTPException, OSError) as exc:
            raise FetchConnectionError(f"Connection to {target.host} failed: {exc!r}", url=url) from exc
        status = response.status
        response_headers = {k.lower(): v for k, v in response.getheaders()}
        excerpt = _read_excerpt(response, sock)
        if not 200 <= status < 300:
            if 300 <= status < 400:
                message = f"HTTP {status} {response.reason} from {url}: redirects are not followed for a POST"
            else:
                message = f"HTTP {status} {response.reason} from {url}"
            error = FetchHTTPError(status, message, url=url,
                                   retry_after=_retry_after(response_headers.get("retry-after")))
            error.body = excerpt
            raise error
        return PostResult(url=url, status=status, headers=response_headers, excerpt=excerpt,
                          elapsed=time.monotonic() - started, ip=ip)
    finally:
        conn.close()

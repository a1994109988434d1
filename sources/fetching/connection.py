"""The connection: to a checked address only (pinned), TLS verified against the host
name, every send and receive bounded by the read timeout and the fetch's one deadline."""

from __future__ import annotations

import http.client
import io
import socket
import ssl
import time
import zlib
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sources.fetching.config import _CHUNK, _setting
from sources.fetching.decoding import _human_bytes
from sources.fetching.results import (
    FetchConnectionError,
    FetchError,
    FetchRefused,
    FetchTimeout,
    FetchTLSError,
)

if TYPE_CHECKING:
    from sources.fetching.urls import _Target


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

    def readinto(self, buffer: Any) -> int:
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

    def recv_into(self, buffer: Any) -> int:
        self._arm()
        return self._sock.recv_into(buffer)

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        self._users += 1
        return io.BufferedReader(_DeadlineReader(self))

    def sendall(self, data: bytes) -> None:
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

    def __init__(self, host: str, port: int, sock: _DeadlineSocket, default_port: int, timeout: float):
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

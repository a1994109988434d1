"""A small threaded HTTP server on 127.0.0.1 (random port) for fetch/connector tests.

Serves files from ``tests/fixtures/web/`` (``?content_type=`` overrides the type) and:

* ``/redirect?to=URL[&status=302]``           redirect to URL
* ``/redirect-chain/N``                       N redirects, then a small HTML page
* ``/slow?seconds=S``                         sleeps S (<= 5) seconds, then answers
* ``/huge?size=BYTES&length=honest|none|chunked|lie``   streams BYTES (default 6 MiB)
* ``/status/CODE``                            answers with that status
* ``/etag/NAME``                              ETag/Last-Modified, honours conditional GET
* ``/gdelt/api``                              GDELT DOC 2.0 artlist JSON (gdelt_artlist.json)
* ``/factcheck/claims:search``                Fact Check Tools JSON (factcheck_claims.json)
* routes registered at runtime with ``server.add_route(path, body, content_type, status)``

Every request is recorded in ``server.requests`` (method, path, headers, body). A POST is
answered like a GET of the same path (routes, ``/status/CODE``, ``/redirect``, ``/slow``).
"""

from __future__ import annotations

import json
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "web"
MAX_SLEEP = 5.0
MAX_HUGE = 64 * 1024 * 1024
ETAG_LAST_MODIFIED = "Wed, 16 Mar 2022 10:30:00 GMT"


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.path).query, keep_blank_values=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format, *args):  # quiet
        pass

    # ------------------------------------------------------------------ helpers
    def _send(self, status: int, body: bytes = b"", content_type: str | None = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None, content_length: bool = True) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if content_length:
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if body and self.command != "HEAD":
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def do_HEAD(self):
        self.do_GET()

    def do_POST(self):
        length = self.headers.get("Content-Length", "0")
        self._body = self.rfile.read(min(int(length), 1024 * 1024)) if length.isdigit() else b""
        self.do_GET()

    def do_GET(self):
        parts = urlsplit(self.path)
        path = parts.path
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        self.server.requests.append(
            RecordedRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                            getattr(self, "_body", b""))
        )
        route = self.server.routes.get(path)
        if route is not None:
            return self._send(route.status, route.body, route.content_type, route.headers)
        try:
            if path == "/redirect":
                return self._send(int(query.get("status", 302)), b"",
                                  headers={"Location": query.get("to", "/")})
            if path.startswith("/redirect-chain/"):
                n = int(path.rsplit("/", 1)[1])
                if n <= 0:
                    return self._send(200, b"<html><body><p>end of chain</p></body></html>")
                return self._send(302, b"", headers={"Location": f"/redirect-chain/{n - 1}"})
            if path == "/slow":
                time.sleep(min(float(query.get("seconds", 1)), MAX_SLEEP))
                return self._send(200, b"<html><body><p>finally</p></body></html>")
            if path == "/huge":
                return self._huge(query)
            if path.startswith("/status/"):
                code = int(path.rsplit("/", 1)[1])
                headers = {"Location": "/"} if code in (301, 302, 303, 307, 308) else {}
                if code in (429, 503):
                    headers["Retry-After"] = "7"
                return self._send(code, f"<html><body>status {code}</body></html>".encode(),
                                  headers=headers)
            if path.startswith("/etag/"):
                return self._etag(path.rsplit("/", 1)[1])
            if path == "/gdelt/api":
                return self._gdelt(query)
            if path == "/factcheck/claims:search":
                return self._factcheck(query)
        except (ValueError, OverflowError):
            return self._send(400, b"bad request")
        return self._file(path, query)

    # ------------------------------------------------------------------ routes
    def _file(self, path: str, query: dict[str, str]):
        relative = path.lstrip("/")
        target = (FIXTURES_DIR / relative).resolve()
        if not relative or FIXTURES_DIR not in target.parents or not target.is_file():
            return self._send(404, b"<html><body>not found</body></html>")
        content_type = query.get("content_type")
        if not content_type:
            guessed = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if target.suffix in (".rss",):
                guessed = "application/rss+xml"
            elif target.suffix in (".atom",):
                guessed = "application/atom+xml"
            content_type = guessed
            if guessed.startswith("text/") or guessed.endswith(("xml", "json")):
                content_type += "; charset=utf-8"
        return self._send(200, target.read_bytes(), content_type)

    def _huge(self, query: dict[str, str]):
        size = min(int(query.get("size", 6 * 1024 * 1024)), MAX_HUGE)
        mode = query.get("length", "honest")
        self.send_response(200)
        self.send_header("Content-Type", query.get("content_type", "text/html; charset=utf-8"))
        self.send_header("Connection", "close")
        if mode == "honest":
            self.send_header("Content-Length", str(size))
        elif mode == "lie":
            self.send_header("Content-Length", "1000")
        elif mode == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.close_connection = True
        block = b"<p>" + b"x" * 65529 + b"</p>"  # 64 KiB
        sent = 0
        try:
            while sent < size:
                piece = block[: size - sent]
                if mode == "chunked":
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                else:
                    self.wfile.write(piece)
                sent += len(piece)
            if mode == "chunked":
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _etag(self, name: str):
        etag = f'"v1-{name}"'
        headers = {"ETag": etag, "Last-Modified": ETAG_LAST_MODIFIED}
        if self.headers.get("If-None-Match") == etag or (
            self.headers.get("If-None-Match") is None
            and self.headers.get("If-Modified-Since") == ETAG_LAST_MODIFIED
        ):
            return self._send(304, b"", None, headers, content_length=False)
        body = f"<html><head><title>{name}</title></head><body><p>version 1 of {name}</p></body></html>"
        if name.endswith(".rss"):
            body = (FIXTURES_DIR / "feed_rss2.xml").read_text("utf-8")
            return self._send(200, body.encode(), "application/rss+xml; charset=utf-8", headers)
        return self._send(200, body.encode(), "text/html; charset=utf-8", headers)

    def _gdelt(self, query: dict[str, str]):
        q = query.get("query", "")
        if len(q.strip()) < 3:
            # the real API answers errors as plain text with status 200
            return self._send(200, b"Your search was too short or too long.",
                              "text/html; charset=utf-8")
        body = (FIXTURES_DIR / "gdelt_artlist.json").read_bytes()
        return self._send(200, body, "application/json; charset=utf-8")

    def _factcheck(self, query: dict[str, str]):
        if not query.get("key"):
            err = {"error": {"code": 403, "message": "The request is missing a valid API key.",
                             "status": "PERMISSION_DENIED"}}
            return self._send(403, json.dumps(err).encode(), "application/json; charset=utf-8")
        if query.get("key") == "invalid":
            err = {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                             "status": "INVALID_ARGUMENT"}}
            return self._send(400, json.dumps(err).encode(), "application/json; charset=utf-8")
        name = "factcheck_claims_page2.json" if query.get("pageToken") else "factcheck_claims.json"
        body = (FIXTURES_DIR / name).read_bytes()
        return self._send(200, body, "application/json; charset=UTF-8")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    routes: dict[str, Route]
    requests: list[RecordedRequest]


class FixtureServer:
    """Start with ``start()`` (or as a context manager); ``url(path)`` builds absolute URLs."""

    def __init__(self, host: str = "127.0.0.1"):
        self._httpd = _Server((host, 0), _Handler)
        self._httpd.routes = {}
        self._httpd.requests = []
        self.host = host
        self.port: int = self._httpd.server_address[1]
        self._thread: threading.Thread | None = None

    def start(self) -> FixtureServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"fixture-server-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        if not path.startswith("/"):
            path = "/" + path
        return self.base_url + path

    @property
    def requests(self) -> list[RecordedRequest]:
        return self._httpd.requests

    def add_route(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
                  status: int = 200, headers: dict[str, str] | None = None) -> str:
        """Serve ``body`` at ``path`` (exact match, query ignored). Returns the absolute URL."""
        if isinstance(body, str):
            body = body.encode("utf-8")
        self._httpd.routes[path] = Route(body, content_type, status, dict(headers or {}))
        return self.url(path)

    def reset(self) -> None:
        self._httpd.routes.clear()
        self._httpd.requests.clear()

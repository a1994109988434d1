"""A deliberately slow HTTP server on 127.0.0.1 (random port), for the fetcher's deadline.

Each path is one way of holding a client for longer than it should wait, a byte at a time:

* ``/drip-headers``     the status line, then the headers one byte every ``DRIP`` seconds
* ``/drip-chunk-size``  complete headers (chunked), then a chunk-size line dripped
* ``/drip-body``        complete headers (Content-Length), then the body dripped
* ``/drip-error-body``  a 500 with a long error page, dripped

Every drip stops by itself after ``MAX_SECONDS`` or when the client hangs up, so a test
that fails can never leave the server busy.

``SlowConnectListener`` is a socket whose accept queue is full: a connect to it waits (the
kernel drops the SYN) until the client gives up, like a host that does not answer.
"""

from __future__ import annotations

import socket
import threading
import time

DRIP = 0.1
MAX_SECONDS = 12.0

_HEAD_200 = b"HTTP/1.1 200 OK\r\n"
_HEADERS = b"Content-Type: text/html; charset=utf-8\r\nX-Padding: " + b"p" * 400 + b"\r\n\r\n"


class SlowServer:
    def __init__(self):
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="slow-server", daemon=True)

    def start(self) -> SlowServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._listener.close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(2)
            try:
                request = conn.recv(65536).decode("latin-1")
                path = request.split(" ", 2)[1] if request.count(" ") >= 2 else "/"
                if path == "/drip-headers":
                    conn.sendall(_HEAD_200)
                    self._drip(conn, b"X-Slow: " + b"a" * 100_000)
                elif path == "/drip-chunk-size":
                    conn.sendall(_HEAD_200 + b"Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n")
                    self._drip(conn, b"0" * 60_000)
                elif path == "/drip-body":
                    conn.sendall(_HEAD_200 + b"Content-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
                    self._drip(conn, b"<p>" + b"x" * 99_990)
                elif path == "/drip-error-body":
                    conn.sendall(b"HTTP/1.1 500 Internal Server Error\r\n"
                                 b"Content-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
                    self._drip(conn, b"<p>" + b"e" * 99_990)
                else:
                    conn.sendall(_HEAD_200 + _HEADERS)
            except OSError:
                pass

    def _drip(self, conn: socket.socket, payload: bytes) -> None:
        ends = time.monotonic() + MAX_SECONDS
        for byte in payload:
            if self._stop.is_set() or time.monotonic() > ends:
                return
            conn.sendall(bytes([byte]))
            time.sleep(DRIP)


class SlowConnectListener:
    """A listening socket that never accepts, its backlog already full."""

    def __init__(self):
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(0)
        self.port = self._listener.getsockname()[1]
        self._fillers: list[socket.socket] = []
        # Fill the accept queue: further SYNs are dropped, so connects hang.
        for _ in range(4):
            filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            filler.setblocking(False)
            try:
                filler.connect(("127.0.0.1", self.port))
            except BlockingIOError:
                pass
            self._fillers.append(filler)
        time.sleep(0.2)

    def close(self) -> None:
        for filler in self._fillers:
            filler.close()
        self._listener.close()

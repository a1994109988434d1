"""A deliberately slow HTTP server on 127.0.0.1 (random port), for the fetcher's deadline.

Each path is one way of holding a client for longer than it should wait, a byte at a time:

* ``/drip-headers``     the status line, then the headers one byte every ``DRIP`` seconds
* ``/drip-chunk-size``  complete headers (chunked), then a chunk-size line dripped
* ``/drip-body``        complete headers (Content-Length), then the body dripped
* ``/drip-error-body``  a 500 with a long error page, dripped

Every drip stops by itself after ``MAX_SECONDS`` or when the client hangs up, so a test
that fails can never leave the server busy.

``SlowTLSServer`` is an HTTPS server that drips its side of the TLS handshake.

``SlowConnectListener`` is a socket whose accept queue is full: a connect to it waits (the
kernel drops the SYN) until the client gives up, like a host that does not answer.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time

DRIP = 0.1
MAX_SECONDS = 12.0

_HEAD_200 = b"HTTP/1.1 200 OK\r\n"
_HEADERS = b"Content-Type: text/html; charset=utf-8\r\nX-Padding: " + b"p" * 400 + b"\r\n\r\n"


class _LoopbackServer:
    """A listener on 127.0.0.1 (random port) that hands each connection to ``_handle`` in a
    thread of its own, until ``stop``."""

    scheme = "http"

    def __init__(self):
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=type(self).__name__, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._listener.close()

    def url(self, path: str = "/") -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

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
        raise NotImplementedError

    def _send(self, conn: socket.socket, data: bytes, ends: float, *, drip: float) -> bool:
        """Send ``data`` at once, or a byte every ``drip`` seconds until ``ends`` or ``stop``;
        False when cut short."""
        if not drip:
            conn.sendall(data)
            return True
        for byte in data:
            if self._stop.is_set() or time.monotonic() > ends:
                return False
            conn.sendall(bytes([byte]))
            time.sleep(drip)
        return True


class SlowServer(_LoopbackServer):
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
        self._send(conn, payload, time.monotonic() + MAX_SECONDS, drip=DRIP)


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


class SlowTLSServer(_LoopbackServer):
    """An HTTPS server on 127.0.0.1 (random port) that drips its side of the TLS handshake.

    The TLS work is real (``ssl`` on memory buffers, a certificate for 127.0.0.1 from a
    test-only authority whose file is ``ca_path``); only the delivery is slow: every byte
    the server would send is sent alone, ``drip`` seconds apart. With the default 0.1 s a
    handshake (a few kilobytes) would take minutes, each byte arriving well inside any
    read timeout. ``pause`` holds the first reply that long (one quiet wait instead of many
    short ones). Once the handshake is done the server answers with a small page, dripped
    ``DRIP`` seconds a byte unless ``drip_response`` is False.
    """

    scheme = "https"

    def __init__(self, ca_dir, *, drip: float = DRIP, pause: float = 0.0, drip_response: bool = True):
        import trustme

        authority = trustme.CA()
        certificate = authority.issue_cert("127.0.0.1")
        self.ca_path = str(ca_dir / "slow-tls-ca.pem")
        authority.cert_pem.write_to_path(self.ca_path)
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        certificate.configure_cert(self._context)
        self.drip = drip
        self.pause = pause
        self.drip_response = drip_response
        self.handshakes_done = 0
        super().__init__()

    def _handle(self, conn: socket.socket) -> None:
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = self._context.wrap_bio(incoming, outgoing, server_side=True)
        ends = time.monotonic() + MAX_SECONDS
        with conn:
            conn.settimeout(0.05)
            try:
                if self.pause:
                    time.sleep(min(self.pause, MAX_SECONDS))
                while not self._stop.is_set() and time.monotonic() < ends:
                    try:
                        tls.do_handshake()
                        self.handshakes_done += 1
                        break
                    except ssl.SSLWantReadError:
                        pass
                    if not self._send(conn, outgoing.read(), ends, drip=self.drip):
                        return
                    if not self._receive(conn, incoming):
                        return
                else:
                    return
                self._send(conn, outgoing.read(), ends, drip=self.drip)
                request = b""
                while b"\r\n\r\n" not in request and time.monotonic() < ends:
                    try:
                        request += tls.read(65536)
                    except ssl.SSLWantReadError:
                        if not self._receive(conn, incoming):
                            return
                body = b"<html><body><p>slow but secure</p></body></html>"
                tls.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                          b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
                self._send(conn, outgoing.read(), ends, drip=DRIP if self.drip_response else 0)
            except (OSError, ssl.SSLError):
                return

    def _receive(self, conn: socket.socket, incoming: ssl.MemoryBIO) -> bool:
        """Feed what the client sent (if anything yet); False once it has hung up."""
        try:
            data = conn.recv(65536)
        except TimeoutError:
            return True
        if not data:
            return False
        incoming.write(data)
        return True

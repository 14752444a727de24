"""Real servers on 127.0.0.1 for the tests: healthy, broken, stalling, resetting, TLS.

Every server binds port 0 (a free port), runs in a daemon thread and stops when its
context manager exits. Nothing here talks to any address but loopback.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

Route = Callable[[BaseHTTPRequestHandler], None]


def respond(
    status: int, body: bytes = b"", headers: dict[str, str] | None = None, delay: float = 0.0
) -> Route:
    """A route answering ``status`` with ``body`` after ``delay`` seconds."""

    def route(handler: BaseHTTPRequestHandler) -> None:
        if delay:
            time.sleep(delay)
        handler.send_response(status)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)

    return route


@dataclass
class HttpServer:
    """A threaded HTTP server with a table of routes by path (query ignored)."""

    routes: dict[str, Route] = field(default_factory=dict)
    tls: ssl.SSLContext | None = None
    server: ThreadingHTTPServer | None = None
    hits: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        assert self.server is not None
        return int(self.server.server_address[1])

    def url(self, path: str = "/") -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}{path}"


def _handler_for(owner: HttpServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return None

        def _dispatch(self) -> None:
            path = self.path.split("?", 1)[0]
            owner.hits.append(self.path)
            route = owner.routes.get(path) or owner.routes.get("*")
            if route is None:
                respond(404, b"not found")(self)
            else:
                route(self)

        do_GET = do_POST = do_HEAD = _dispatch

    return Handler


@contextmanager
def http_server(
    routes: dict[str, Route], tls: ssl.SSLContext | None = None
) -> Iterator[HttpServer]:
    """Serve ``routes`` on 127.0.0.1 until the block ends."""
    owner = HttpServer(routes=routes, tls=tls)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(owner))
    server.daemon_threads = True
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    owner.server = server
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield owner
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class RawServer:
    """A TCP server with a fixed misbehaviour."""

    port: int

    def url(self, path: str = "/", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"


@contextmanager
def raw_server(behaviour: str) -> Iterator[RawServer]:
    """``stall``: accept and never answer. ``reset``: accept, then reset the connection."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.1)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            if behaviour == "reset":
                with contextlib.suppress(OSError):
                    conn.recv(1024)
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                conn.close()
            else:
                held.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield RawServer(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join(1)
        for conn in held:
            conn.close()
        listener.close()


def dead_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def self_signed_tls(tmp: Path) -> ssl.SSLContext:
    """A server context with a certificate from a CA nobody trusts (as an interceptor would)."""
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    return context

"""A speed-test server for the tests and the benchmark, speaking two protocols at once.

- Cloudflare's: ``GET /__down?bytes=N`` (N bytes), ``POST /__up``; like Cloudflare's, every
  answer's ``Server-Timing`` has the server's time and its kernel's smoothed round trip of
  the connection (``cfL4;desc="?proto=TCP&rtt=…"``, microseconds) unless told not to.
- speedtest.net's legacy one, as speedtest-cli uses it: ``/speedtest/latency.txt``
  (``test=test``), ``/speedtest/random{N}x{N}.jpg``, ``POST /speedtest/upload.php``
  (``size=N``), and ``/speedtest-config.php`` (refused with 403 when asked to).

Run it alone with ``python -m tests.speedserver --port 8080 [--host 0.0.0.0]``.
"""

from __future__ import annotations

import argparse
import re
import ssl
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from checks.speed.probes import kernel_rtt_us

BLOCK = memoryview(b"\x00" * (1024 * 1024))
RANDOM = re.compile(r"^/speedtest/random(\d+)x(\d+)\.jpg$")
MAX_DOWNLOAD = 1 << 34


class SpeedHandler(BaseHTTPRequestHandler):
    """Both protocols; the server's ``config_status`` decides the config endpoint's answer."""

    protocol_version = "HTTP/1.1"
    server: SpeedServer

    def log_message(self, format: str, *args: object) -> None:
        return None

    def _timing(self) -> None:
        timing = "cfRequestDuration;dur=0.050"
        rtt = kernel_rtt_us(self.connection) if self.server.report_rtt else None
        if rtt is not None:
            timing += f', cfL4;desc="?proto=TCP&rtt={rtt}"'
        self.send_header("Server-Timing", timing)

    def _send(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        self.send_response(status)
        self._timing()
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, size: int) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self._timing()
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        left = size
        try:
            while left > 0:
                n = min(left, len(BLOCK))
                self.wfile.write(BLOCK[:n])
                left -= n
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _drain(self) -> int:
        length = int(self.headers.get("Content-Length") or 0)
        left = length
        while left > 0:
            chunk = self.rfile.read(min(left, 1024 * 1024))
            if not chunk:
                break
            left -= len(chunk)
        return length - left

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        if path == "/__down":
            try:
                size = int(parse_qs(parts.query).get("bytes", ["0"])[0])
            except ValueError:
                self._send(400, b"bad bytes")
                return
            self._stream(max(0, min(size, MAX_DOWNLOAD)))
        elif path == "/speedtest/latency.txt":
            time.sleep(self.server.latency_delay_s)
            self._send(200, b"test=test")
        elif (match := RANDOM.match(path)) is not None:
            self._stream(int(match.group(1)) * int(match.group(2)) * 2)
        elif path == "/speedtest-config.php":
            status = self.server.config_status
            self._send(status, CONFIG_XML if status == 200 else b"Forbidden", "text/xml")
        elif path in ("/", "/speedtest/", "/speedtest"):
            self._send(200, b'<html>upload_extension: "php"</html>', "text/html")
        else:
            self._send(404, b"not found")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        if path == "/__up":
            self._drain()
            self._send(200, b"", "text/plain")
        elif path == "/speedtest/upload.php":
            received = self._drain()
            self._send(200, f"size={received}".encode())
        else:
            self._drain()
            self._send(404, b"not found")


CONFIG_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<settings>
<client ip="127.0.0.1" lat="0" lon="0" isp="Loopback" isprating="3.7" rating="0"
 ispdlavg="0" ispulavg="0" loggedin="0" country="ZZ" />
<server-config threadcount="4" ignoreids="" notonmap="" forcepingid="" preferredserverid=""/>
<download testlength="4" initialtest="250K" mintestsize="250K" threadsperurl="4"/>
<upload testlength="4" ratio="5" initialtest="0" mintestsize="32K" threads="2"
 maxchunksize="512K" maxchunkcount="50" threadsperurl="4"/>
</settings>
"""


class SpeedServer(ThreadingHTTPServer):
    """The threaded server, with the config endpoint's status as a setting."""

    daemon_threads = True
    config_status = 200
    latency_delay_s = 0.0
    """How long the legacy protocol's latency answer is held back."""
    report_rtt = True
    """Whether answers carry the kernel's round trip (``cfL4``), as Cloudflare's do."""

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hangs up mid-request (a cancelled stream, a probe) is no error."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass
class RunningSpeedServer:
    """A speed server running in a thread of this process."""

    server: SpeedServer

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    tls: bool = False

    @property
    def base(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"


@contextmanager
def speed_server(
    config_status: int = 200,
    tls: ssl.SSLContext | None = None,
    latency_delay_s: float = 0.0,
    report_rtt: bool = True,
) -> Iterator[RunningSpeedServer]:
    """Serve both protocols on a free port of 127.0.0.1 until the block ends (over TLS with
    ``tls``, a server context; without ``cfL4`` round trips when not ``report_rtt``)."""
    server = SpeedServer(("127.0.0.1", 0), SpeedHandler)
    server.report_rtt = report_rtt
    server.config_status = config_status
    server.latency_delay_s = latency_delay_s
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield RunningSpeedServer(server, tls is not None)
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    """Serve until killed (the benchmark runs this inside a network namespace)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--no-rtt", action="store_true", help="answer without cfL4 round trips")
    args = parser.parse_args()
    server = SpeedServer((args.host, args.port), SpeedHandler)
    server.report_rtt = not args.no_rtt
    print(f"serving on {args.host}:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

"""speedtest-cli used as a library, with its configuration under our control.

``speedtest.Speedtest`` downloads speedtest.net's configuration in its constructor. We
subclass it: with an explicit server (``speed.ookla_server``) the configuration is built
locally, so the test runs fully offline against any server speaking the legacy protocol
(``latency.txt`` → ``test=test``, ``random{N}x{N}.jpg``, ``POST upload.php`` → ``size=N``);
without one, the configuration is fetched over HTTPS by us, so that a refusal (403 since
about 2022 for plain HTTP) becomes an outcome with words instead of a traceback.

Known weaknesses of speedtest-cli, which our ``http`` backend avoids: its rate includes the
ramp-up, its ping is half the mean of three requests each made on a new connection (a TCP
handshake and a request: two round trips, hence the half), and it under-reports fast links
(single-threaded Python reading in small blocks). We report its figures as it measured
them and say so.
"""

from __future__ import annotations

import io
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TextIO

from checks.api import CheckError
from checks.net.failure import describe_failure

CONFIG_URL = "https://www.speedtest.net/speedtest-config.php"
UPLOAD_SIZES = [32768, 65536, 131072, 262144, 524288, 1048576, 7340032]
DOWNLOAD_SIZES = [350, 500, 750, 1000, 1500, 2000, 2500, 3000, 3500, 4000]


_IMPORT_LOCK = threading.Lock()


class _NoDescriptor(io.TextIOBase):
    """A text stream that writes through to ``stream`` but admits to no file descriptor."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Pass the text on."""
        return self._stream.write(text)

    def flush(self) -> None:
        """Pass the flush on."""
        self._stream.flush()

    def fileno(self) -> int:
        """There is none, as for an in-memory stream."""
        raise io.UnsupportedOperation("no file descriptor")


def import_speedtest() -> ModuleType:
    """speedtest-cli's module, imported so that it works whatever stdio has been replaced by.

    On import it wraps the descriptors of ``sys.stdout`` and ``sys.stderr`` in files of
    its own, and copes only when asking for them raises ``OSError``. Textual's stand-ins
    answer -1 instead, which made the import fail with "negative file descriptor". While it
    is imported, the streams are ones that have no descriptor to give.
    """
    with _IMPORT_LOCK:
        if "speedtest" in sys.modules:
            return sys.modules["speedtest"]
        out, err = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _NoDescriptor(out), _NoDescriptor(err)
        try:
            import speedtest  # noqa: F401
        finally:
            sys.stdout, sys.stderr = out, err
        return sys.modules["speedtest"]


@dataclass
class OoklaMeasurement:
    """What speedtest-cli reported, as it measured it."""

    download_mbps: float
    upload_mbps: float
    latency_ms: float
    """speedtest-cli's ping: half the mean time of its three requests on new connections."""
    server: str
    bytes_received: int
    bytes_sent: int


def local_config(duration: float) -> dict[str, Any]:
    """A configuration like speedtest.net's, for an explicit server (no download)."""
    length = max(1, round(duration))
    return {
        "client": {"ip": "", "isp": "", "lat": "0", "lon": "0", "country": "", "isprating": ""},
        "ignore_servers": [],
        "sizes": {"upload": UPLOAD_SIZES[3:], "download": DOWNLOAD_SIZES},
        "counts": {"upload": 10, "download": 4},
        "threads": {"upload": 4, "download": 8},
        "length": {"upload": length, "download": length},
        "upload_max": 40,
    }


def parse_config(xml: bytes, duration: float) -> dict[str, Any]:
    """speedtest.net's configuration XML, in the shape speedtest-cli uses."""
    try:
        root = ET.fromstring(xml)
        server_config = root.find("server-config").attrib  # type: ignore[union-attr]
        download = root.find("download").attrib  # type: ignore[union-attr]
        upload = root.find("upload").attrib  # type: ignore[union-attr]
        client = root.find("client").attrib  # type: ignore[union-attr]
        ratio = int(upload["ratio"])
        upload_max = int(upload["maxchunkcount"])
        sizes = {"upload": UPLOAD_SIZES[ratio - 1 :], "download": DOWNLOAD_SIZES}
        per_size = -(-upload_max // len(sizes["upload"]))
        length = max(1, round(duration))
        return {
            "client": client,
            "ignore_servers": [int(i) for i in server_config.get("ignoreids", "").split(",") if i],
            "sizes": sizes,
            "counts": {"upload": per_size, "download": int(download["threadsperurl"])},
            "threads": {
                "upload": int(upload["threads"]),
                "download": int(server_config["threadcount"]) * 2,
            },
            "length": {"upload": length, "download": length},
            "upload_max": per_size * len(sizes["upload"]),
        }
    except (ET.ParseError, AttributeError, KeyError, ValueError) as exc:
        raise CheckError(
            f"speedtest.net sent a configuration we cannot read ({exc})", outcome="unreachable"
        ) from None


def fetch_config(url: str, timeout: float, duration: float) -> dict[str, Any]:
    """Download and parse speedtest.net's configuration; refusals become CheckErrors."""
    request = urllib.request.Request(url, headers={"User-Agent": "Mozilla/5.0 wizard"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return parse_config(response.read(), duration)
    except urllib.error.HTTPError as exc:
        if exc.code == 403:
            raise CheckError(
                "speedtest.net refused to hand out its configuration (403 Forbidden)",
                outcome="unreachable",
            ) from None
        raise CheckError(
            f"speedtest.net answered {exc.code} for its configuration", outcome="unreachable"
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        host = urllib.parse.urlsplit(url).hostname or "speedtest.net"
        raise CheckError(
            f"speedtest.net could not be reached: {describe_failure(exc, host)}",
            outcome="unreachable",
        ) from None


def run_ookla(
    server: str,
    duration: float,
    timeout: float,
    stop: threading.Event,
    config_url: str = CONFIG_URL,
    on_phase: Any = None,
) -> OoklaMeasurement:
    """Run speedtest-cli (blocking: call it in a thread). ``stop`` aborts it."""
    speedtest = import_speedtest()

    supplied = local_config(duration) if server else fetch_config(config_url, timeout, duration)

    class Configured(speedtest.Speedtest):  # type: ignore[misc,name-defined]
        def get_config(self) -> dict[str, Any]:
            self.config.update(supplied)
            self.lat_lon = (0.0, 0.0)
            return self.config  # type: ignore[no-any-return]

    def phase(name: str) -> None:
        if on_phase is not None:
            on_phase(name)

    try:
        tester = Configured(timeout=timeout, secure=True, shutdown_event=stop)
        if server:
            host = server if "://" in server else f"http://{server}"
            tester.servers = {
                0: [
                    {
                        "url": f"{host.rstrip('/')}/speedtest/upload.php",
                        "name": host,
                        "sponsor": "configured",
                        "id": "0",
                        "d": 0,
                        "country": "",
                        "cc": "",
                        "host": server,
                    }
                ]
            }
            best = tester.get_best_server(tester.servers[0])
        else:
            tester.get_servers()
            best = tester.get_best_server()
        if best.get("latency", 0) >= 3600 * 1000 / 2:
            raise CheckError(
                "the speed-test server did not answer the latency test", outcome="unreachable"
            )
        phase("download")
        down = tester.download()
        if stop.is_set():
            raise CheckError("the speed test was stopped", outcome="timeout")
        phase("upload")
        up = tester.upload()
    except speedtest.SpeedtestException as exc:
        raise CheckError(
            f"speedtest-cli failed: {type(exc).__name__}: {exc}", outcome="unreachable"
        ) from None
    results = tester.results
    return OoklaMeasurement(
        download_mbps=down / 1e6,
        upload_mbps=up / 1e6,
        latency_ms=float(best.get("latency", 0.0)),
        server=str(best.get("host") or best.get("name") or ""),
        bytes_received=int(results.bytes_received),
        bytes_sent=int(results.bytes_sent),
    )

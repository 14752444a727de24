"""Speed-test accuracy on links of known rate.

Two network namespaces joined by a veth pair, each end shaped with ``tc tbf`` on its
egress: server → client carries the download, client → server the upload, so data and
acknowledgements never share a token bucket. The speed server (both protocols) runs in
one namespace; in the other we measure with our ``http`` backend, our ``ookla`` backend
and speedtest-cli's own command line, at 50 and 200 Mbit/s. speedtest-cli's command line
always fetches speedtest.net's configuration, so the client namespace gets a hosts file
naming our server as www.speedtest.net. Then, unshaped, our backend on loopback.

Needs root (ip netns, tc); otherwise it says so and measures loopback only. Traffic stays
on this machine: loopback and the two namespaces' own addresses.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import Figure

ROOT = Path(__file__).resolve().parent.parent
RATES_MBIT = (50, 200)
DURATION_S = 4.0
SERVER_IP, CLIENT_IP = "10.231.0.1", "10.231.0.2"
# TCP goodput over a tbf-shaped link tops out near 96.5 % of the rate (headers), hence
# the lower bound; the upper bound catches over-counting.
LOW, HIGH = 0.95, 1.02


def _sh(*cmd: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=check)


class Link:
    """Two namespaces and a veth pair, torn down on exit."""

    def __init__(self) -> None:
        tag = f"{os.getpid() % 10000}"
        self.srv, self.cli = f"wzs{tag}", f"wzc{tag}"
        self.hosts_dir = Path("/etc/netns") / self.cli

    def __enter__(self) -> Link:
        _sh("ip", "netns", "add", self.srv)
        _sh("ip", "netns", "add", self.cli)
        _sh(
            "ip",
            "link",
            "add",
            "vs" + self.srv[3:],
            "type",
            "veth",
            "peer",
            "name",
            "vc" + self.srv[3:],
        )
        _sh("ip", "link", "set", "vs" + self.srv[3:], "netns", self.srv)
        _sh("ip", "link", "set", "vc" + self.srv[3:], "netns", self.cli)
        for ns, dev, ip in ((self.srv, "vs", SERVER_IP), (self.cli, "vc", CLIENT_IP)):
            name = dev + self.srv[3:]
            _sh("ip", "-n", ns, "addr", "add", f"{ip}/30", "dev", name)
            _sh("ip", "-n", ns, "link", "set", name, "up")
            _sh("ip", "-n", ns, "link", "set", "lo", "up")
        self.hosts_dir.mkdir(parents=True, exist_ok=True)
        (self.hosts_dir / "hosts").write_text(
            f"127.0.0.1 localhost\n{SERVER_IP} www.speedtest.net speedtest.net\n"
        )
        return self

    def shape(self, mbit: int | None, queue_ms: int | None = None) -> None:
        """Shape both directions to ``mbit`` (None removes the shaping), with a queue that
        holds ``queue_ms`` of traffic when full (tbf's ``limit``; else ``latency 25ms``)."""
        for ns, dev in ((self.srv, "vs"), (self.cli, "vc")):
            name = dev + self.srv[3:]
            _sh("tc", "-n", ns, "qdisc", "del", "dev", name, "root", check=False)
            if mbit is None:
                continue
            burst = max(32_000, mbit * 1_000_000 // 8 // 200)
            queue = (
                ["limit", str(mbit * 1_000_000 // 8 * queue_ms // 1000)]
                if queue_ms is not None
                else ["latency", "25ms"]
            )
            _sh(
                "tc", "-n", ns, "qdisc", "add", "dev", name, "root", "tbf",
                "rate", f"{mbit}mbit", "burst", str(burst), *queue,
            )  # fmt: skip

    def run_in_client(self, *cmd: str, timeout: float = 120) -> str:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        proc = subprocess.run(
            ["ip", "netns", "exec", self.cli, *cmd],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            cwd=ROOT,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.strip()[-400:]}")
        return proc.stdout

    def __exit__(self, *exc: object) -> None:
        _sh("ip", "netns", "del", self.srv, check=False)
        _sh("ip", "netns", "del", self.cli, check=False)
        shutil.rmtree(self.hosts_dir, ignore_errors=True)


def _server(namespace: str | None, host: str, port: int) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "tests.speedserver", "--host", host, "--port", str(port)]
    if namespace:
        cmd = ["ip", "netns", "exec", namespace, *cmd]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # "serving on ..."
    return proc


def _cli_speedtest(link: Link) -> tuple[dict[str, float], float]:
    started = time.perf_counter()
    out = link.run_in_client("speedtest-cli", "--mini", f"http://{SERVER_IP}/", "--json")
    data = json.loads(out)
    return {
        "download": data["download"] / 1e6,
        "upload": data["upload"] / 1e6,
    }, time.perf_counter() - started


def _ratio(
    name: str, measured: float, shaped: int, seconds: float | None, bounded: bool
) -> list[Figure]:
    figures = [
        Figure(
            f"{name} measured/shaped",
            measured / shaped,
            "ratio",
            LOW if bounded else None,
            lower_is_better=False,
        )
    ]
    if bounded:
        figures.append(
            Figure(f"{name} measured/shaped (upper bound)", measured / shaped, "ratio", HIGH)
        )
    if seconds is not None:
        figures.append(Figure(f"{name} time", seconds, "s", 5.0 if bounded else None))
    return figures


def run() -> list[Figure]:
    """The accuracy figures (and the loopback one), as many as this machine allows."""
    figures: list[Figure] = []
    can_shape = os.geteuid() == 0 and shutil.which("ip") and shutil.which("tc")
    if can_shape:
        with Link() as link:
            server = _server(link.srv, SERVER_IP, 80)
            try:
                for rate in RATES_MBIT:
                    link.shape(rate)
                    ours = json.loads(
                        link.run_in_client(
                            sys.executable,
                            "-m",
                            "benchmarks.speed_client",
                            "http",
                            f"http://{SERVER_IP}",
                            str(DURATION_S),
                        )
                    )
                    ookla = json.loads(
                        link.run_in_client(
                            sys.executable,
                            "-m",
                            "benchmarks.speed_client",
                            "ookla",
                            f"{SERVER_IP}:80",
                            str(DURATION_S),
                        )
                    )
                    cli, cli_s = _cli_speedtest(link)
                    for direction in ("download", "upload"):
                        figures += _ratio(
                            f"http {direction} @ {rate} Mbit/s",
                            ours[direction],
                            rate,
                            ours[f"{direction}_s"],
                            bounded=True,
                        )
                        figures += _ratio(
                            f"ookla {direction} @ {rate} Mbit/s",
                            ookla[direction],
                            rate,
                            ookla[f"{direction}_s"],
                            bounded=False,
                        )
                        figures += _ratio(
                            f"speedtest-cli {direction} @ {rate} Mbit/s",
                            cli[direction],
                            rate,
                            None,
                            bounded=False,
                        )
                    figures.append(
                        Figure(
                            f"speedtest-cli command line @ {rate} Mbit/s, both directions",
                            cli_s,
                            "s",
                        )
                    )
            finally:
                server.terminate()
                server.wait(5)
    else:
        print("  (not root or no ip/tc: shaped-link figures skipped)", file=sys.stderr)
    server = _server(None, "127.0.0.1", _free_port())
    try:
        port = int(server.args[-1])
        from benchmarks.speed_client import measure_http

        loop = measure_http(f"http://127.0.0.1:{port}", DURATION_S)
    finally:
        server.terminate()
        server.wait(5)
    figures.append(
        Figure(
            "http download, unshaped loopback",
            loop["download"],
            "Mbit/s",
            1000,
            lower_is_better=False,
        )
    )
    figures.append(
        Figure(
            "http upload, unshaped loopback", loop["upload"], "Mbit/s", 1000, lower_is_better=False
        )
    )
    return figures


def _free_port() -> int:
    from tests.servers import dead_port

    return dead_port()

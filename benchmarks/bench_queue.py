"""Latency under load against the real queue of a shaped link.

Two network namespaces joined by a veth pair, ``tc tbf`` on each end's egress with a known
rate and queue (``limit`` bytes = rate × queue delay): server → client carries the
download, client → server the upload. The speed server runs in one namespace; the whole
``http`` measurement (both directions, with responsiveness) runs in the other. While it
runs, this process samples the kernel's own view of each queue (``tc -s qdisc``: backlog
bytes over the rate is the delay a packet joining it waits) and, per direction, compares
the loaded latency the check reports with that delay over the same stretch of time the
check probed.

Needs root (ip netns, tc); otherwise it says so and measures nothing. Traffic stays
inside the two namespaces.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
import threading
import time

from benchmarks.bench_speed import LOW, SERVER_IP, Link, _server, _sh
from benchmarks.common import Figure

RATES_MBIT = (20, 50, 200)
QUEUES_MS = (25, 50, 100)
DURATION_S = 4.0
SAMPLE_S = 0.02
BACKLOG = re.compile(r"backlog (\d+)b")
TOLERANCE = 0.15
WHOLE_TEST_S = 12.0


class QueueSampler(threading.Thread):
    """Samples both egress queues' backlog until stopped: (time, download ms, upload ms)."""

    def __init__(self, link: Link, mbit: int) -> None:
        super().__init__(daemon=True)
        self.link = link
        self.bytes_per_ms = mbit * 1_000_000 / 8 / 1000
        self.samples: list[tuple[float, float, float]] = []
        self.stop = threading.Event()

    def _backlog(self, ns: str, dev: str) -> float:
        out = _sh("tc", "-n", ns, "-s", "qdisc", "show", "dev", dev + self.link.srv[3:]).stdout
        match = BACKLOG.search(out)
        return int(match.group(1)) / self.bytes_per_ms if match else 0.0

    def run(self) -> None:
        while not self.stop.is_set():
            at = time.time()
            down = self._backlog(self.link.srv, "vs")
            up = self._backlog(self.link.cli, "vc")
            self.samples.append((at, down, up))
            self.stop.wait(SAMPLE_S)

    def mean(self, window: list[float], column: int) -> float | None:
        """The mean queue delay of one direction over ``window``."""
        inside = [s[column] for s in self.samples if window[0] <= s[0] <= window[1]]
        return statistics.fmean(inside) if inside else None


def one_run(link: Link, mbit: int, queue_ms: int) -> tuple[list[Figure], list[str]]:
    """Shape, measure, compare: the figures and a line per direction to print."""
    link.shape(mbit, queue_ms)
    sampler = QueueSampler(link, mbit)
    sampler.start()
    try:
        out = json.loads(
            link.run_in_client(
                sys.executable,
                "-m",
                "benchmarks.speed_client",
                "rpm",
                f"http://{SERVER_IP}",
                str(DURATION_S),
            )
        )
    finally:
        sampler.stop.set()
        sampler.join()
    figures: list[Figure] = []
    lines: list[str] = []
    idle = float(out["idle_ms"] or 0.0)
    tag = f"{mbit} Mbit/s, {queue_ms} ms queue"
    for column, direction in ((1, "download"), (2, "upload")):
        d = out[direction]
        real = sampler.mean(d["window"], column)
        loaded = d["loaded_ms"]
        if real is None or loaded is None:
            lines.append(f"  {direction} @ {tag}: no samples")
            continue
        ratio = loaded / real
        figures.append(
            Figure(f"loaded/real {direction} @ {tag}", ratio, "ratio", 1 - TOLERANCE, False)
        )
        figures.append(
            Figure(f"loaded/real {direction} @ {tag} (upper)", ratio, "ratio", 1 + TOLERANCE)
        )
        figures.append(
            Figure(f"rate/shaped {direction} @ {tag}", d["mbps"] / mbit, "ratio", LOW, False)
        )
        lines.append(
            f"  {direction} @ {tag}: reported {loaded:.1f} ms (foreign {d['foreign_ms']:.1f}, "
            f"self {d['self_ms']:.1f}, tcp/tls/http {d['parts_ms']}, {d['rpm']:.0f} RPM, "
            f"probes f/s/timeout/failed/lost {d['probes']}, {d['streams']} streams); "
            f"queue {real:.1f} ms (idle {idle:.2f} ms); "
            f"ratio {ratio:.3f}; rate {d['mbps'] / mbit:.3f} of shaped"
        )
    figures.append(Figure(f"whole test @ {tag}", float(out["seconds"]), "s", WHOLE_TEST_S))
    return figures, lines


def run() -> list[Figure]:
    """Every rate and queue, or nothing (with a message) when not root."""
    if not (os.geteuid() == 0 and shutil.which("ip") and shutil.which("tc")):
        print("  (not root or no ip/tc: queue figures skipped)", file=sys.stderr)
        return []
    figures: list[Figure] = []
    with Link() as link:
        server = _server(link.srv, SERVER_IP, 80)
        try:
            for mbit in RATES_MBIT:
                for queue_ms in QUEUES_MS:
                    got, lines = one_run(link, mbit, queue_ms)
                    for line in lines:
                        print(line, file=sys.stderr, flush=True)
                    figures += got
        finally:
            server.terminate()
            server.wait(5)
    return figures

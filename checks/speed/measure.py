"""The numbers of a speed test, and how samples become them. Pure functions.

Download bytes are counted as they arrive, so the rate is simply the bytes that arrived
inside the measuring window over its length. Upload bytes cannot be counted as they are
handed over (the kernel's send buffer swallows megabytes at once); where the kernel does
not say how many were acknowledged, each upload request's bytes are spread evenly over
the time from its first byte to its answer, and the window takes its share of each
request. The first part of each direction is ramp-up (TCP slow
start, buffers filling) and is left out of the window.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Transfer:
    """One upload request: when it started, when its answer came, how many bytes it carried."""

    start: float
    end: float
    size: int


def mbps(byte_count: float, seconds: float) -> float:
    """Bytes over seconds as megabits per second."""
    return byte_count * 8 / seconds / 1e6 if seconds > 0 else 0.0


def bytes_in_window(transfers: Sequence[Transfer], start: float, end: float) -> float:
    """The share of every transfer's bytes that falls inside ``[start, end]``."""
    total = 0.0
    for t in transfers:
        span = t.end - t.start
        if span <= 0:
            continue
        overlap = min(end, t.end) - max(start, t.start)
        if overlap > 0:
            total += t.size * overlap / span
    return total


def jitter(samples: Sequence[float]) -> float:
    """Mean absolute difference between consecutive latency samples (RFC 3550 style)."""
    if len(samples) < 2:
        return 0.0
    return statistics.fmean(abs(b - a) for a, b in itertools.pairwise(samples))


def median(samples: Sequence[float]) -> float | None:
    """The median, or None without samples."""
    return statistics.median(samples) if samples else None


def server_timing_ms(header: str | None) -> float:
    """The server's own time from a ``Server-Timing`` header (``…;dur=12.5``), else 0."""
    if not header:
        return 0.0
    for part in header.replace(",", ";").split(";"):
        key, _, value = part.strip().partition("=")
        if key == "dur":
            try:
                return max(0.0, float(value))
            except ValueError:
                return 0.0
    return 0.0


def server_rtt_ms(header: str | None) -> float | None:
    """The server's own smoothed TCP round trip of the connection, from the ``cfL4`` part
    of a ``Server-Timing`` header (``cfL4;desc="?proto=TCP&rtt=30122&…"``, in
    microseconds, as Cloudflare sends it), or None when the header has none."""
    if not header:
        return None
    for metric in header.split(","):
        name, _, params = metric.strip().partition(";")
        if name.strip().lower() != "cfl4":
            continue
        _, _, desc = params.partition("desc=")
        for pair in desc.strip().strip('"').lstrip("?").split("&"):
            key, _, value = pair.partition("=")
            if key == "rtt" and value.isdigit() and int(value) > 0:
                return int(value) / 1000
    return None


@dataclass(frozen=True, slots=True)
class Quality:
    """A plain-words verdict for one use, in the spirit of Cloudflare's quality scores."""

    use: str
    grade: str
    """``great``, ``good``, ``okay`` or ``poor``."""
    words: str


def _grade(points: int) -> str:
    return ("poor", "okay", "good", "great")[max(0, min(3, points))]


def quality_scores(
    download: float | None,
    upload: float | None,
    latency: float | None,
    jit: float | None,
    loaded: float | None,
) -> tuple[Quality, ...]:
    """Verdicts for short video, live streaming and video calls."""
    dl, ul = download or 0.0, upload or 0.0
    lat = latency if latency is not None else 999.0
    jt = jit if jit is not None else 999.0
    worst = max(lat, loaded if loaded is not None else lat)

    short = (dl >= 5) + (dl >= 15) + (lat <= 100) - (worst > 400)
    live = (dl >= 8) + (ul >= 3) + (jt <= 20) - (worst > 300)
    calls = (ul >= 1.5) + (lat <= 60) + (jt <= 15) - (worst > 200)
    words = {
        "short_video": {
            "great": "Videos start at once and play in HD.",
            "good": "Videos play smoothly; the odd one may start slowly.",
            "okay": "Videos play, but start slowly or drop to lower quality.",
            "poor": "Expect videos to stall and likes or comments to fail to send.",
        },
        "live": {
            "great": "Watching and going live both work well.",
            "good": "Watching live works; going live works at modest quality.",
            "okay": "Live streams may buffer; going live will be unreliable.",
            "poor": "Live streams will buffer; do not try to go live on this connection.",
        },
        "video_calls": {
            "great": "Video calls are smooth.",
            "good": "Video calls work with the odd glitch.",
            "okay": "Video calls will freeze now and then.",
            "poor": "Video calls will freeze and drop.",
        },
    }
    out = []
    for use, points in (("short_video", short), ("live", live), ("video_calls", calls)):
        grade = _grade(int(points))
        out.append(Quality(use, grade, words[use][grade]))
    return tuple(out)

"""Responsiveness under working conditions (IETF IPPM draft), as numbers. Pure functions.

While a direction is saturated, two kinds of probe run. *Foreign* probes open a new
connection each: the TCP handshake, the TLS handshake (over HTTPS, per round trip) and a
small HTTP request on it are timed apart. *Self* probes send a small request on the
load-generating connections themselves. Each kind is summarised by a trimmed mean (the
slowest 5 % left out); the loaded latency is the mean of the foreign figure (the mean of
its parts) and the self figure, and RPM, round trips per minute, is 60 000 over it.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

TRIM = 0.95
"""The share of the fastest probes a trimmed mean keeps."""
CONFIDENT_PROBES = 20
"""Fewer probes than this of either kind in a direction and the figure is called uncertain."""


def trimmed_mean(samples: Sequence[float], keep: float = TRIM) -> float | None:
    """The mean of the fastest ``keep`` share of the samples (None without samples)."""
    if not samples:
        return None
    ordered = sorted(samples)
    return statistics.fmean(ordered[: max(1, math.ceil(len(ordered) * keep))])


def rpm(latency_ms: float | None) -> float | None:
    """Round trips per minute for a round trip of ``latency_ms``."""
    if latency_ms is None or latency_ms <= 0:
        return None
    return 60_000.0 / latency_ms


@dataclass
class Probes:
    """The probes of one direction, in milliseconds."""

    tcp: list[float] = field(default_factory=list)
    tls: list[float] = field(default_factory=list)
    http: list[float] = field(default_factory=list)
    """HTTP request on a fresh connection (foreign)."""
    self_http: list[float] = field(default_factory=list)
    """HTTP request on a load-generating connection (self)."""
    failed: int = 0
    """Probes that could not connect or were refused (left out)."""
    timed_out: int = 0
    """Probes that took longer than the probe timeout (counted at the timeout)."""
    lost: int = 0
    """Foreign probes whose handshake needed a retransmission (left out: they time the
    retransmission timer, not a round trip)."""


@dataclass(frozen=True)
class Responsiveness:
    """What one direction's probes add up to."""

    foreign_ms: float | None
    self_ms: float | None
    loaded_ms: float | None
    rpm: float | None
    foreign_probes: int
    self_probes: int

    @property
    def confident(self) -> bool:
        """Enough probes of both kinds for the figure to mean much."""
        return min(self.foreign_probes, self.self_probes) >= CONFIDENT_PROBES


def summarise(probes: Probes, timeout_ms: float) -> Responsiveness:
    """The trimmed means, the loaded latency and the RPM of one direction.

    A probe that timed out counts at ``timeout_ms`` in the self figure (a queue that
    swallows a probe for that long is the worst responsiveness there is), but only when
    some probe got through: where none did, the probes were blocked, not slow.
    """
    late = [timeout_ms] * probes.timed_out if (probes.http or probes.self_http) else []
    parts = [trimmed_mean(p) for p in (probes.tcp, probes.tls, probes.http) if p]
    foreign = statistics.fmean(v for v in parts if v is not None) if parts else None
    own = trimmed_mean(probes.self_http + late)
    known = [v for v in (foreign, own) if v is not None]
    loaded = statistics.fmean(known) if known else None
    return Responsiveness(
        foreign_ms=foreign,
        self_ms=own,
        loaded_ms=loaded,
        rpm=rpm(loaded),
        foreign_probes=len(probes.http),
        self_probes=len(probes.self_http),
    )


def grade(value: float | None) -> str:
    """``high``, ``medium`` or ``low`` responsiveness (Apple's networkQuality bands)."""
    if value is None:
        return "unknown"
    return "high" if value >= 1000 else "medium" if value >= 300 else "low"


WORDS = {
    "high": (
        "Responsive even while the line is busy: likes and comments register at once, "
        "an upload does not slow the app, and a live stream stays in step with its chat."
    ),
    "medium": (
        "A little sluggish while the line is busy: likes and comments register after a "
        "short pause during an upload, and a live stream's chat runs a beat behind."
    ),
    "low": (
        "Sluggish while the line is busy: while a video uploads, likes and comments can "
        "take seconds to register or fail, and going live will lag and drop."
    ),
    "unknown": "Responsiveness could not be measured.",
}

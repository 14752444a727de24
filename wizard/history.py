"""A check's numbers over time: the series, what is unusual for this user, and a chart drawn
in text (block characters, the threshold as a line) for the terminal and the TUI alike.

Pure functions: the store hands over ``(time, result)`` pairs, newest first, as it keeps them.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checks.api import CheckResult

Stamp = Callable[[str], str]
"""Writes a stored ISO 8601 time out for a reader."""

BLOCKS = " ▁▂▃▄▅▆▇█"
UNUSUAL = 0.5
"""A result below this share of the user's own median is called out."""
MIN_FOR_USUAL = 3
"""Fewer results than this and there is no "usual" to compare with."""


@dataclass(frozen=True)
class Line:
    """What to draw for one metric: where its value comes from, and its threshold setting."""

    name: str
    label: str
    unit: str
    metrics: tuple[str, ...]
    """Metric names; the lowest of those present is the point (RPM: the worse direction)."""
    threshold: str | None
    """The setting holding the threshold (a minimum), if any."""


SPEED_LINES = (
    Line("download", "download", "Mbit/s", ("download",), "speed.min_download_mbps"),
    Line("upload", "upload", "Mbit/s", ("upload",), "speed.min_upload_mbps"),
    Line("rpm", "responsiveness", "RPM", ("rpm_down", "rpm_up"), "speed.max_loaded_latency_ms"),
)
LINES = {"speed": SPEED_LINES}
"""Checks whose history can be drawn, and what is drawn of them."""


@dataclass(frozen=True)
class Series:
    """One metric over time, oldest first, with its threshold and the user's usual value."""

    name: str
    label: str
    unit: str
    points: tuple[tuple[str, float], ...]
    threshold: float | None
    usual: float | None

    def unusual(self) -> list[tuple[str, float]]:
        """Points much worse than the user's own median (all of these lines: higher is better)."""
        if self.usual is None:
            return []
        return [(at, v) for at, v in self.points if v < self.usual * UNUSUAL]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {
            "name": self.name,
            "label": self.label,
            "unit": self.unit,
            "threshold": self.threshold,
            "usual": self.usual,
            "points": [{"at": at, "value": round(v, 3)} for at, v in self.points],
            "unusual": [{"at": at, "value": round(v, 3)} for at, v in self.unusual()],
        }


def _threshold(line: Line, settings: Mapping[str, Any]) -> float | None:
    if line.threshold is None or line.threshold not in settings:
        return None
    value = float(settings[line.threshold])
    if line.unit == "RPM":  # the setting is the worst loaded latency allowed
        return 60_000.0 / value if value > 0 else None
    return value


def series(
    check_id: str, results: Sequence[tuple[str, CheckResult]], settings: Mapping[str, Any]
) -> list[Series]:
    """The drawable series of ``check_id`` from the store's results (newest first)."""
    out = []
    for line in LINES.get(check_id, ()):
        points = []
        for at, result in reversed(results):
            if result.check_id != check_id:
                continue
            values = [m.value for m in result.metrics if m.name in line.metrics]
            numbers = [float(v) for v in values if isinstance(v, int | float)]
            if numbers:
                points.append((at, min(numbers)))
        usual = statistics.median(v for _, v in points) if len(points) >= MIN_FOR_USUAL else None
        out.append(
            Series(
                line.name,
                line.label,
                line.unit,
                tuple(points),
                _threshold(line, settings),
                usual,
            )
        )
    return out


def callouts(all_series: Sequence[Series], stamp: Stamp | None = None) -> list[str]:
    """A sentence for every result much worse than usual, newest first.

    ``stamp`` writes a stored time out (as ``2026-11-08 10:00`` when not given).
    """
    stamp = stamp or _minute
    words = {"download": "slower than usual", "upload": "slower than usual"}
    found = []
    for s in all_series:
        for at, value in s.unusual():
            what = words.get(s.name, "less responsive than usual")
            found.append(
                (
                    at,
                    f"{stamp(at)}: {s.label} {what} for you: {_number(value)} {s.unit} "
                    f"against your usual {_number(s.usual or 0)} {s.unit}",
                )
            )
    return [text for _, text in sorted(found, reverse=True)]


def chart(s: Series, width: int = 60, height: int = 5, stamp: Stamp | None = None) -> list[str]:
    """The series as text: ``height`` rows of block columns (the newest ``width`` points)
    with the threshold's row drawn as a dashed line (shaded where a bar crosses it), axis
    labels on the top and threshold rows, and the times of the first and last point
    (written out by ``stamp``, as in :func:`callouts`)."""
    stamp = stamp or _minute
    points = s.points[-width:]
    if not points:
        return [f"{s.label}: no results yet"]
    values = [v for _, v in points]
    top = max([*values, s.threshold or 0.0]) or 1.0
    levels = height * 8
    threshold_row = (
        None if s.threshold is None else min(height - 1, int(s.threshold / top * levels) // 8)
    )
    label_width = max(len(_number(top)), len(_number(s.threshold or 0)), 1)
    rows = []
    for row in range(height - 1, -1, -1):
        cells = []
        for v in values:
            filled = round(v / top * levels) - row * 8
            if filled >= 8:
                # A full cell on the threshold's row is shaded, so the line shows through.
                cells.append("▓" if row == threshold_row else BLOCKS[8])
            elif filled > 0:
                cells.append(BLOCKS[filled])
            elif row == threshold_row:
                cells.append("┄")
            else:
                cells.append(" ")
        if row == height - 1:
            label = _number(top)
        elif row == threshold_row:
            label = _number(s.threshold or 0)
        else:
            label = ""
        mark = " ◂ threshold" if row == threshold_row else ""
        rows.append(f"{label:>{label_width}} ┤{''.join(cells)}{mark}")
    first, last = stamp(points[0][0]), stamp(points[-1][0])
    rows.append(f"{'':>{label_width}} └{'─' * len(values)}")
    span = f"{first} … {last}" if len(points) > 1 else first
    latest = f"latest {_number(values[-1])} {s.unit}"
    usual = f", usual {_number(s.usual)} {s.unit}" if s.usual is not None else ""
    head = f"{s.label} ({s.unit}): {latest}{usual}"
    if s.threshold is not None:
        head += f", threshold {_number(s.threshold)}"
    return [head, *rows, f"{'':>{label_width}}  {span}"]


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.1f}"


def _minute(iso: str) -> str:
    return iso[:16].replace("T", " ")


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def when(iso: str | None, now: datetime | None = None) -> str:
    """A stored time as a person reads it, in UTC: "22 Nov, 18:30".

    The year is said when it is not that of ``now`` (or when there is no ``now``); a time
    that does not read as ISO 8601 is shown as it is.
    """
    if not iso:
        return ""
    try:
        at = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
    year = "" if now is not None and now.astimezone(UTC).year == at.year else f" {at.year}"
    return f"{at.day} {MONTHS[at.month - 1]}{year}, {at:%H:%M}"

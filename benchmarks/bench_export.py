"""Data export: a 200,000-like, 20,000-following export (new JSON layout, zipped).

Each figure is one whole process (``wizard check data_export``), timed from outside, with
its peak resident memory read from the kernel (``ru_maxrss`` of the child).
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from benchmarks.common import Figure, measure_process, wizard_exe
from tests.exportgen import later, make_account, write_export

LIKES, FOLLOWING = 200_000, 20_000


def _run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run of the wizard with ``args``."""
    seconds, peak, code = measure_process([wizard_exe(), *args], env={"WIZARD_CONFIG": ""})
    if code not in (0, 4):
        raise RuntimeError(f"wizard {' '.join(args)} exited {code}")
    return seconds, peak


def run() -> list[Figure]:
    """Generate the two exports, then time the summary and the diff."""
    with tempfile.TemporaryDirectory() as tmp:
        account = make_account(
            likes=LIKES, followers=18_000, following=FOLLOWING, videos=300, seed=3
        )
        first = write_export(account, Path(tmp) / "first.zip", "json-new")
        changed = later(account, unliked=1_500, video_drops=40)
        second = write_export(changed, Path(tmp) / "second.zip", "json-new")
        size_mb = first.stat().st_size / 1e6
        summary = [_run(["check", "data_export", "--param", f"export={second}"]) for _ in range(3)]
        diff = [
            _run(
                [
                    "check",
                    "data_export",
                    "--param",
                    f"export={second}",
                    "--param",
                    f"previous={first}",
                ]
            )
            for _ in range(3)
        ]
    return [
        Figure(
            f"export summary, {LIKES:,} likes ({size_mb:.0f} MB zip), median",
            statistics.median(t for t, _ in summary),
            "s",
            2.0,
        ),
        Figure("export summary, peak RSS", max(m for _, m in summary), "MB", 300),
        Figure("two-export diff, median", statistics.median(t for t, _ in diff), "s", 2.0),
        Figure("two-export diff, peak RSS", max(m for _, m in diff), "MB", 300),
    ]

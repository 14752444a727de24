"""TUI: launch to the home screen ready, and memory, as whole-process figures."""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.common import Figure, measure_process

SCRIPT = Path(__file__).with_name("tui_launch.py")


def run() -> list[Figure]:
    """Median launch time over 9 runs (after 2 warm-up runs) and the worst peak RSS."""
    with tempfile.TemporaryDirectory() as data:
        env = {
            "WIZARD_DATA_DIR": data,
            "WIZARD_CONFIG": "",
            "PYTHONPATH": str(SCRIPT.parent.parent),
        }
        runs = [measure_process([sys.executable, str(SCRIPT)], env=env) for _ in range(11)][2:]
    assert all(code == 0 for _, _, code in runs), runs
    return [
        Figure(
            "TUI launch to home screen ready (median)",
            statistics.median(t for t, _, _ in runs),
            "s",
            0.6,
        ),
        Figure("TUI peak RSS", max(m for _, m, _ in runs), "MB", 120),
    ]

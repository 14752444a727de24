"""TUI: launch to the home screen ready, and memory, as whole-process figures."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import Figure, compile_package, measure_ready

SCRIPT = Path(__file__).with_name("tui_launch.py")


def run() -> list[Figure]:
    """Medians over 9 runs (after 2 warm-up runs), 5 first starts, 5 guide openings,
    and the worst peak RSS."""
    compile_package()
    with tempfile.TemporaryDirectory() as data:
        env = {
            "WIZARD_DATA_DIR": data,
            "WIZARD_CONFIG": "",
            "PYTHONPATH": str(SCRIPT.parent.parent),
        }
        runs = [measure_ready([sys.executable, str(SCRIPT)], env=env) for _ in range(11)][2:]
        # A first start in a new data folder reads the guides themselves: no kept list yet.
        first = []
        for _ in range(5):
            with tempfile.TemporaryDirectory() as fresh:
                first.append(
                    measure_ready([sys.executable, str(SCRIPT)], {**env, "WIZARD_DATA_DIR": fresh})
                )
        opened = [_open_seconds(env) for _ in range(5)]
    assert all(code == 0 and ready > 0 for ready, _, _, code in runs + first), runs + first
    return [
        Figure(
            "TUI launch to home screen ready (median)",
            statistics.median(ready for ready, _, _, _ in runs),
            "s",
            0.6,
        ),
        Figure(
            "TUI first launch in a new data folder (median)",
            statistics.median(ready for ready, _, _, _ in first),
            "s",
        ),
        Figure(
            "TUI launch, home screen and exit (median)",
            statistics.median(total for _, total, _, _ in runs),
            "s",
        ),
        Figure(
            "TUI open a guide from home, to its first step (median)",
            statistics.median(opened),
            "s",
        ),
        Figure("TUI peak RSS", max(peak for _, _, peak, _ in runs), "MB", 120),
    ]


def _open_seconds(env: dict[str, str]) -> float:
    """Seconds from choosing the main guide on the home screen to its first step drawn."""
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--open", "disappearing-likes"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    )
    return float(proc.stdout.split()[-1])

"""TUI: launch to the home screen as a ratio to a minimal Textual app, and memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import Figure, compile_package, measure_ready

SCRIPT = Path(__file__).with_name("tui_launch.py")
MINIMAL = Path(__file__).with_name("minimal_app.py")
RUNS = 11
WARMUP = 2


def run() -> list[Figure]:
    """Medians over 9 rounds (after 2 warm-up rounds), each starting the minimal app, the
    wizard to its first frame and the wizard to its guides listed, one after the other;
    5 guide openings; the worst peak RSS. A ratio is the median of each round's ratio, so
    the machine's load drifting from one minute to the next cancels out."""
    compile_package()
    with tempfile.TemporaryDirectory() as data:
        env = {
            "WIZARD_DATA_DIR": data,
            "WIZARD_CONFIG": "",
            "PYTHONPATH": str(SCRIPT.parent.parent),
        }
        rounds = [
            (
                measure_ready([sys.executable, str(MINIMAL)], env=env),
                measure_ready(
                    [sys.executable, str(SCRIPT)], env={**env, "BENCH_READY_AT": "first"}
                ),
                measure_ready([sys.executable, str(SCRIPT)], env=env),
            )
            for _ in range(RUNS)
        ][WARMUP:]
        opened = [_open_seconds(env) for _ in range(5)]
    runs = [run for each in rounds for run in each]
    assert all(code == 0 and ready > 0 for ready, _, _, code in runs), runs
    minimal = [m[0] for m, _, _ in rounds]
    first = [f[0] for _, f, _ in rounds]
    listed = [g[0] for _, _, g in rounds]
    return [
        Figure(
            "minimal Textual app ready (Header, OptionList, Footer)",
            statistics.median(minimal),
            "s",
        ),
        Figure("TUI home screen drawn (median)", statistics.median(first), "s"),
        Figure("TUI home screen with the guides listed (median)", statistics.median(listed), "s"),
        Figure(
            "TUI home screen drawn / minimal app (median ratio)",
            statistics.median(f / m for f, m in zip(first, minimal, strict=True)),
            "x",
            1.25,
        ),
        Figure(
            "TUI guides listed / minimal app (median ratio)",
            statistics.median(g / m for g, m in zip(listed, minimal, strict=True)),
            "x",
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

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
    wizard to its first frame and the wizard to its guides listed, one after the other,
    then the wizard with Textual's Header and Footer to its first frame and until that
    Footer shows the keys (in turns with the wizard's own first frame); 5 guide openings;
    the worst peak RSS. A ratio is the median of each round's ratio, so the machine's load
    drifting from one minute to the next cancels out."""
    compile_package()
    with tempfile.TemporaryDirectory() as data:
        env = {
            "WIZARD_DATA_DIR": data,
            "WIZARD_CONFIG": "",
            "PYTHONPATH": str(SCRIPT.parent.parent),
        }
        rounds = [_round(env, textual_first=n % 2 == 1) for n in range(RUNS)][WARMUP:]
        opened = [_open_seconds(env) for _ in range(5)]
    runs = [run for each in rounds for run in each.values()]
    assert all(code == 0 and ready > 0 for ready, _, _, code in runs), runs

    def seconds(name: str) -> list[float]:
        return [each[name][0] for each in rounds]

    def ratio(name: str) -> float:
        return statistics.median(
            t / m for t, m in zip(seconds(name), seconds("minimal"), strict=True)
        )

    def cost(name: str) -> float:
        """What Textual's Header and Footer add to the ratio: the median of the rounds'."""
        return statistics.median(
            (t - w) / m
            for t, w, m in zip(seconds(name), seconds("first"), seconds("minimal"), strict=True)
        )

    return [
        Figure(
            "minimal Textual app ready (Header, OptionList, Footer)",
            statistics.median(seconds("minimal")),
            "s",
        ),
        Figure("TUI home screen drawn (median)", statistics.median(seconds("first")), "s"),
        Figure(
            "TUI home screen with the guides listed (median)",
            statistics.median(seconds("listed")),
            "s",
        ),
        Figure("TUI home screen drawn / minimal app (median ratio)", ratio("first"), "x", 1.25),
        Figure("TUI guides listed / minimal app (median ratio)", ratio("listed"), "x"),
        Figure("TUI with Header and Footer, drawn / minimal app", ratio("textual"), "x"),
        Figure("TUI with Header and Footer, keys shown / minimal", ratio("keys"), "x"),
        Figure("Header and Footer's cost, drawn (ours kept if > 0.05)", cost("textual"), "x"),
        Figure("Header and Footer's cost, keys shown", cost("keys"), "x"),
        Figure(
            "TUI open a guide from home, to its first step (median)",
            statistics.median(opened),
            "s",
        ),
        Figure("TUI peak RSS", max(peak for _, _, peak, _ in runs), "MB", 120),
    ]


def _round(env: dict[str, str], textual_first: bool) -> dict[str, tuple[float, float, float, int]]:
    """One round's runs by name; the two first frames compared are taken in turns."""
    wizard = [sys.executable, str(SCRIPT)]
    textual = {**env, "BENCH_BARS": "textual"}
    each = {"minimal": measure_ready([sys.executable, str(MINIMAL)], env=env)}
    pair = [
        ("first", {**env, "BENCH_READY_AT": "first"}),
        ("textual", {**textual, "BENCH_READY_AT": "first"}),
    ]
    for name, environ in reversed(pair) if textual_first else pair:
        each[name] = measure_ready(wizard, env=environ)
    each["keys"] = measure_ready(wizard, env={**textual, "BENCH_READY_AT": "keys"})
    each["listed"] = measure_ready(wizard, env=env)
    return each


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

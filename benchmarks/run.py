"""Run the benchmarks and print every figure against its bar.

    python3 benchmarks/run.py            # all of them
    python3 benchmarks/run.py foundation # one group

Whole-process figures are medians over repeated runs after warm-up; in-process ones are
medians of repeated calls. The machines are shared, so read a figure, not a single run.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GROUPS = ["foundation", "connectivity", "speed", "queue", "export", "report", "tui"]


def main(argv: list[str]) -> int:
    """Run the chosen groups; exit 1 when a figure misses its bar."""
    chosen = argv or GROUPS
    unknown = [g for g in chosen if g not in GROUPS]
    if unknown:
        print(f"unknown group {unknown[0]!r}; groups: {', '.join(GROUPS)}", file=sys.stderr)
        return 2
    missed = 0
    for group in chosen:
        module = importlib.import_module(f"benchmarks.bench_{group}")
        started = time.perf_counter()
        print(f"{group}:")
        for figure in module.run():
            print(figure.row(), flush=True)
            missed += figure.ok is False
        print(f"  ({time.perf_counter() - started:.1f} s)")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Helpers for the benchmarks: timing, medians, whole-process runs and a result table."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Figure:
    """One measured figure against its bar."""

    name: str
    value: float
    unit: str
    bar: float | None = None
    lower_is_better: bool = True

    @property
    def ok(self) -> bool | None:
        """Whether the figure meets its bar (None when it has none)."""
        if self.bar is None:
            return None
        return self.value <= self.bar if self.lower_is_better else self.value >= self.bar

    def row(self) -> str:
        """One line of the result table."""
        mark = {True: "ok", False: "OVER", None: ""}[self.ok]
        bar = (
            ""
            if self.bar is None
            else f"{'<=' if self.lower_is_better else '>='} {self.bar:g} {self.unit}"
        )
        return f"  {self.name:<52} {self.value:>10.3f} {self.unit:<7} {bar:<16} {mark}"


def median_time(fn: Callable[[], object], repeat: int = 7, warmup: int = 1) -> float:
    """Median wall time of ``fn`` in seconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def process_time(argv: list[str], repeat: int = 15, env: dict[str, str] | None = None) -> float:
    """Median wall time of a whole process (after warm-up runs, so the disk cache is warm)."""
    environ = dict(os.environ)
    environ.update(env or {})

    def run() -> None:
        subprocess.run(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environ, check=True
        )

    return median_time(run, repeat=repeat, warmup=3)


def compile_package() -> None:
    """Byte-compile ``wizard`` and ``checks``, as installing the wheel does.

    A checkout run with PYTHONDONTWRITEBYTECODE set would otherwise compile every
    module from source at each start, which no installed copy does.
    """
    import compileall
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for package in ("wizard", "checks"):
        compileall.compile_dir(root / package, quiet=2)


def wizard_exe() -> str:
    """The installed console script."""
    exe = shutil.which("wizard")
    if exe is None:
        raise SystemExit("the wizard command is not installed: python3 -m pip install -e .")
    return exe


_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, p.returncode)\n"
)


def measure_process(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MB) and exit code of one run of ``argv``.

    A small wrapper process starts the command and reads its child's peak RSS: a child
    forked straight from a large benchmark process would report that process's memory.
    """
    seconds, peak_kb, code = _wrapped(_MEASURE, argv, env)
    return float(seconds), int(peak_kb) / 1024, int(code)


def _wrapped(script: str, argv: list[str], env: dict[str, str] | None) -> list[str]:
    """What ``script`` (a wrapper that starts ``argv``) prints, split into words."""
    import sys

    environ = dict(os.environ)
    environ.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-c", script, *argv],
        capture_output=True,
        text=True,
        env=environ,
        check=True,
    )
    return proc.stdout.split()


_MEASURE_READY = (
    "import os, resource, subprocess, sys, time\n"
    "r, w = os.pipe()\n"
    "env = dict(os.environ, BENCH_READY_FD=str(w))\n"
    "t = time.perf_counter()\n"
    "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, pass_fds=(w,), env=env)\n"
    "os.close(w)\n"
    "ready = time.perf_counter() - t if os.read(r, 1) else -1.0\n"
    "p.wait()\n"
    "total = time.perf_counter() - t\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(ready, total, peak, p.returncode)\n"
)


def measure_ready(
    argv: list[str], env: dict[str, str] | None = None
) -> tuple[float, float, float, int]:
    """Seconds to ready, seconds in all, peak RSS (MB) and exit code of one run of ``argv``.

    The command is started with ``BENCH_READY_FD`` naming a pipe; it writes one byte there
    the moment it is ready. "Ready" counts from before the process is spawned, so the
    interpreter's start and every import are in it; shutting down after is not.
    """
    ready, total, peak_kb, code = _wrapped(_MEASURE_READY, argv, env)
    return float(ready), float(total), int(peak_kb) / 1024, int(code)

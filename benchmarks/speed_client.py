"""One speed measurement, printed as JSON; the speed benchmark runs it inside a namespace.

python -m benchmarks.speed_client http  BASE_URL DURATION
python -m benchmarks.speed_client ookla HOST:PORT DURATION
python -m benchmarks.speed_client rpm   BASE_URL DURATION   (with responsiveness)
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time

from checks.api import CheckContext


def measure_http(base: str, duration: float) -> dict[str, float]:
    """Our backend: rates and the time each direction took."""
    from checks.speed.http_backend import run_http

    context = CheckContext(
        config={"download_url": f"{base}/__down", "upload_url": f"{base}/__up"},
        deadline=time.monotonic() + 60,
    )
    m = asyncio.run(run_http(context, duration, streams=6, probes=10))
    return {
        "download": m.download.mbps,
        "upload": m.upload.mbps,
        "download_s": m.download.seconds,
        "upload_s": m.upload.seconds,
    }


def measure_rpm(base: str, duration: float) -> dict[str, object]:
    """Our backend with what its responsiveness adds up to, and when its probes ran."""
    from checks.speed.http_backend import run_http
    from checks.speed.measure import median
    from checks.speed.probes import PROBE_TIMEOUT_S
    from checks.speed.rpm import summarise, trimmed_mean

    context = CheckContext(
        config={"download_url": f"{base}/__down", "upload_url": f"{base}/__up"},
        deadline=time.monotonic() + 60,
    )
    started = time.perf_counter()
    m = asyncio.run(run_http(context, duration, streams=6, probes=10))
    out: dict[str, object] = {"seconds": time.perf_counter() - started}
    out["idle_ms"] = median(m.latency_ms)
    for name, d in (("download", m.download), ("upload", m.upload)):
        r = summarise(d.probes, PROBE_TIMEOUT_S * 1000)
        out[name] = {
            "mbps": d.mbps,
            "seconds": d.seconds,
            "loaded_ms": r.loaded_ms,
            "foreign_ms": r.foreign_ms,
            "self_ms": r.self_ms,
            "rpm": r.rpm,
            "probes": [
                r.foreign_probes,
                r.self_probes,
                d.probes.timed_out,
                d.probes.failed,
                d.probes.lost,
            ],
            "window": list(d.probe_window),
            "streams": d.streams,
            "parts_ms": [trimmed_mean(p) for p in (d.probes.tcp, d.probes.tls, d.probes.http)],
        }
    return out


def measure_ookla(server: str, duration: float) -> dict[str, float]:
    """speedtest-cli as our library backend uses it."""
    from checks.speed.ookla_backend import run_ookla

    marks: dict[str, float] = {"start": time.perf_counter()}
    result = run_ookla(
        server,
        duration,
        10.0,
        threading.Event(),
        on_phase=lambda name: marks.__setitem__(name, time.perf_counter()),
    )
    end = time.perf_counter()
    return {
        "download": result.download_mbps,
        "upload": result.upload_mbps,
        "download_s": marks["upload"] - marks["download"],
        "upload_s": end - marks["upload"],
    }


def main(argv: list[str]) -> None:
    """Measure with the backend named in argv and print the figures as JSON."""
    backend, target, duration = argv[0], argv[1], float(argv[2])
    figures: dict[str, object]
    if backend == "rpm":
        figures = measure_rpm(target, duration)
    elif backend == "http":
        figures = dict(measure_http(target, duration))
    else:
        figures = dict(measure_ookla(target, duration))
    print(json.dumps(figures))


if __name__ == "__main__":
    main(sys.argv[1:])

"""Connectivity: healthy local endpoints, and every endpoint stalled, as whole checks."""

from __future__ import annotations

import asyncio
import statistics
import time

from benchmarks.common import Figure
from checks.api import CheckContext
from checks.connectivity import ConnectivityCheck
from tests.servers import http_server, raw_server, respond
from wizard.runner import run_check

DEADLINE_S = 2.0


def _once(service: list[str], baseline: list[str], portal: str) -> tuple[float, str]:
    context = CheckContext(
        config={
            "service_urls": service,
            "baseline_urls": baseline,
            "portal_url": portal,
            "timeout_s": DEADLINE_S,
            "slow_ms": 1500.0,
        },
        deadline=time.monotonic() + DEADLINE_S + 1,
    )
    started = time.perf_counter()
    result = asyncio.run(run_check(ConnectivityCheck(), context))
    return time.perf_counter() - started, result.outcome


def run() -> list[Figure]:
    """Median of 7 healthy runs (3 service, 3 baseline, 1 portal) and of 3 stalled runs."""
    routes = {"/": respond(200, b"<html>ok</html>"), "/generate_204": respond(204)}
    with http_server(routes) as good:
        service = [good.url(f"/?s={i}") for i in range(3)]
        baseline = [good.url(f"/generate_204?b={i}") for i in range(3)]
        healthy = [_once(service, baseline, good.url("/generate_204")) for _ in range(8)][1:]
    assert all(outcome == "online" for _, outcome in healthy), healthy
    with raw_server("stall") as stall:
        stalled = [_once([stall.url("/a")], [stall.url("/b")], stall.url("/c")) for _ in range(3)]
    assert all(outcome == "timeout" for _, outcome in stalled), stalled
    return [
        Figure(
            "connectivity, healthy local endpoints (median)",
            statistics.median(t for t, _ in healthy),
            "s",
            0.5,
        ),
        Figure(
            f"connectivity, all endpoints stalled (deadline {DEADLINE_S:g} s, worst)",
            max(t for t, _ in stalled),
            "s",
            DEADLINE_S * 1.1,
        ),
    ]

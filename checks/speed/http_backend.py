"""Our own speed measurement over HTTP, in the protocol of Cloudflare's speed test.

``GET download_url?bytes=N`` answers N bytes; ``POST upload_url`` takes a body; latency is
timed on ``GET download_url?bytes=0`` on a warm connection, less the server's own time
when it sends ``Server-Timing``. Several streams run in parallel for a fixed duration;
latency keeps being probed on a connection of its own while they run.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from checks.api import CheckContext, CheckError, Progress
from checks.speed.measure import Transfer, bytes_in_window, mbps, server_timing_ms

DOWNLOAD_REQUEST_BYTES = 200 * 1024 * 1024
"""Each download request asks for this much and is cut off when the time is up."""
UPLOAD_FIRST_BYTES = 256 * 1024
UPLOAD_MAX_BYTES = 64 * 1024 * 1024
UPLOAD_TARGET_S = 0.3
"""Upload requests grow until each takes about this long, so answers stay frequent."""
PIECE = 256 * 1024
RAMP_FRACTION = 0.25
LOADED_PROBE_INTERVAL_S = 0.2
SAMPLE_INTERVAL_S = 0.1


@dataclass
class DirectionResult:
    """What one direction measured."""

    mbps: float
    bytes_moved: int
    seconds: float
    window_s: float
    loaded_latency_ms: list[float] = field(default_factory=list)
    streams: int = 0


@dataclass
class HttpMeasurement:
    """The whole measurement."""

    latency_ms: list[float]
    download: DirectionResult
    upload: DirectionResult


async def _probe_latency(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = await client.get(url, params={"bytes": "0"})
    elapsed = (time.perf_counter() - started) * 1000
    await response.aread()
    if response.status_code >= 400:
        raise CheckError(
            f"the speed-test server answered {response.status_code} to a latency probe",
            outcome="unreachable",
        )
    return max(0.0, elapsed - server_timing_ms(response.headers.get("server-timing")))


async def _loaded_probes(client: Any, url: str, stop: asyncio.Event, out: list[float]) -> None:
    while not stop.is_set():
        try:
            out.append(await asyncio.wait_for(_probe_latency(client, url), 2.0))
        except (TimeoutError, CheckError):
            out.append(2000.0)
        except Exception:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), LOADED_PROBE_INTERVAL_S)


async def _finish(
    tasks: list[asyncio.Task[None]], prober: asyncio.Task[None], stop: asyncio.Event
) -> list[BaseException]:
    """Stop the streams and the latency prober; the errors the streams ended with."""
    errors = [
        error
        for task in tasks
        if task.done() and not task.cancelled() and (error := task.exception()) is not None
    ]
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, prober, return_exceptions=True)
    return errors


class _Meter:
    """Live rate for the progress callback: bytes over the last half second."""

    def __init__(self, report: Callable[[float, float], None]) -> None:
        self.report = report
        self.samples: list[tuple[float, float]] = []

    def sample(self, now: float, total: float) -> None:
        self.samples.append((now, total))
        while len(self.samples) > 2 and now - self.samples[0][0] > 0.5:
            self.samples.pop(0)
        t0, b0 = self.samples[0]
        if now > t0:
            self.report(mbps(total - b0, now - t0), now)


async def measure_download(
    make_client: Callable[[], Any],
    url: str,
    streams: int,
    duration: float,
    probe_client: Any,
    on_rate: Callable[[float, float], None],
) -> DirectionResult:
    """Download on ``streams`` connections for ``duration`` seconds."""
    received = 0
    started = time.perf_counter()
    end = started + duration
    ramp_at = started + duration * RAMP_FRACTION
    at_ramp: float | None = None

    async def stream() -> None:
        nonlocal received
        async with make_client() as client:
            while time.perf_counter() < end:
                async with client.stream(
                    "GET", url, params={"bytes": str(DOWNLOAD_REQUEST_BYTES)}
                ) as r:
                    if r.status_code >= 400:
                        raise CheckError(
                            f"the download server answered {r.status_code}", outcome="unreachable"
                        )
                    async for chunk in r.aiter_raw():
                        received += len(chunk)
                        if time.perf_counter() >= end:
                            return

    stop = asyncio.Event()
    loaded: list[float] = []
    prober = asyncio.create_task(_loaded_probes(probe_client, url, stop, loaded))
    tasks = [asyncio.create_task(stream()) for _ in range(streams)]
    meter = _Meter(on_rate)
    try:
        while not all(t.done() for t in tasks):
            await asyncio.wait(tasks, timeout=SAMPLE_INTERVAL_S)
            now = time.perf_counter()
            if at_ramp is None and now >= ramp_at:
                at_ramp = received
                ramp_at = now
            meter.sample(now, received)
    finally:
        errors = await _finish(tasks, prober, stop)
    finished = time.perf_counter()
    if errors and received == 0:
        raise errors[0]
    window = max(1e-6, min(finished, end) - ramp_at)
    counted = received - (at_ramp or 0)
    return DirectionResult(
        mbps(counted, window), received, finished - started, window, loaded, streams
    )


async def measure_upload(
    make_client: Callable[[], Any],
    url: str,
    streams: int,
    duration: float,
    probe_client: Any,
    probe_url: str,
    on_rate: Callable[[float, float], None],
    grace: float,
) -> DirectionResult:
    """Upload on ``streams`` connections for ``duration`` seconds (see the module notes)."""
    started = time.perf_counter()
    end = started + duration
    transfers: list[Transfer] = []
    handed = 0
    piece = b"\x00" * PIECE

    async def body(size: int) -> AsyncIterator[bytes]:
        nonlocal handed
        left = size
        while left > 0:
            n = min(PIECE, left)
            handed += n
            left -= n
            yield piece[:n] if n < PIECE else piece

    async def stream() -> None:
        size = UPLOAD_FIRST_BYTES
        async with make_client() as client:
            while time.perf_counter() < end:
                t0 = time.perf_counter()
                response = await client.post(
                    url,
                    content=body(size),
                    headers={
                        "Content-Length": str(size),
                        "Content-Type": "application/octet-stream",
                    },
                )
                t1 = time.perf_counter()
                if response.status_code >= 400:
                    raise CheckError(
                        f"the upload server answered {response.status_code}", outcome="unreachable"
                    )
                transfers.append(Transfer(t0, t1, size))
                if t1 - t0 < UPLOAD_TARGET_S and size < UPLOAD_MAX_BYTES:
                    size *= 2

    stop = asyncio.Event()
    loaded: list[float] = []
    prober = asyncio.create_task(_loaded_probes(probe_client, probe_url, stop, loaded))
    tasks = [asyncio.create_task(stream()) for _ in range(streams)]
    meter = _Meter(on_rate)
    try:
        # Let the requests in flight at the end finish (their bytes belong in the window),
        # but no longer than the grace allows.
        stop_at = end + grace
        while not all(t.done() for t in tasks) and time.perf_counter() < stop_at:
            await asyncio.wait(tasks, timeout=SAMPLE_INTERVAL_S)
            now = time.perf_counter()
            if now <= end:
                meter.sample(now, handed)  # bytes handed over: close enough for a live gauge
    finally:
        errors = await _finish(tasks, prober, stop)
    finished = time.perf_counter()
    if errors and not transfers:
        raise errors[0]
    ramp = started + duration * RAMP_FRACTION
    window_end = min(end, max((t.end for t in transfers), default=end))
    window = max(1e-6, window_end - ramp)
    counted = bytes_in_window(transfers, ramp, window_end)
    moved = sum(t.size for t in transfers)
    return DirectionResult(
        mbps(counted, window), moved, finished - started, window, loaded, streams
    )


async def run_http(
    context: CheckContext, duration: float, streams: int, probes: int
) -> HttpMeasurement:
    """Latency, then download, then upload, reporting progress as it goes."""
    import httpx

    down_url = str(context.setting("download_url"))
    up_url = str(context.setting("upload_url"))
    expected = duration * 2 + 1.0
    t_start = time.perf_counter()
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    timeout = httpx.Timeout(max(2.0, duration + 2.0))

    def make_client() -> httpx.AsyncClient:
        return context.http_client(timeout=timeout, limits=limits, trust_env=True)

    def progress(
        phase: str, fraction: float, value: float | None = None, message: str = ""
    ) -> None:
        context.progress(
            Progress(
                phase=phase,
                fraction=min(1.0, fraction),
                message=message,
                value=value,
                unit="Mbit/s" if value is not None else "",
                elapsed_s=time.perf_counter() - t_start,
                expected_s=expected,
            )
        )

    async with make_client() as probe_client:
        latency: list[float] = []
        progress("latency", 0.0, message="measuring latency")
        await _probe_latency(probe_client, down_url)  # warm the connection
        for i in range(probes):
            latency.append(await _probe_latency(probe_client, down_url))
            progress("latency", (i + 1) / probes * 0.05, message=f"{latency[-1]:.1f} ms")
        d0 = time.perf_counter()
        download = await measure_download(
            make_client,
            down_url,
            streams,
            duration,
            probe_client,
            lambda rate, now: progress("download", 0.05 + 0.45 * (now - d0) / duration, rate),
        )
        progress("download", 0.5, download.mbps, "download done")
        u0 = time.perf_counter()
        grace = max(0.0, min(1.5, context.remaining() - 0.5))
        upload = await measure_upload(
            make_client,
            up_url,
            streams,
            duration,
            probe_client,
            down_url,
            lambda rate, now: progress("upload", 0.5 + 0.5 * (now - u0) / duration, rate),
            grace,
        )
        progress("upload", 1.0, upload.mbps, "upload done")
    return HttpMeasurement(latency, download, upload)

"""Our own speed measurement over HTTP, in the protocol of Cloudflare's speed test.

``GET download_url?bytes=N`` answers N bytes; ``POST upload_url`` takes a body; latency is
timed on ``GET download_url?bytes=0`` on a warm connection, less the server's own time
when it sends ``Server-Timing``. Several streams run in parallel for a fixed duration,
more being added during the ramp while goodput still grows; once the ramp is over,
foreign and self probes measure responsiveness (see :mod:`checks.speed.rpm`).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from checks.api import CheckContext, CheckError, Progress
from checks.speed.measure import (
    Transfer,
    bytes_in_window,
    mbps,
    server_rtt_ms,
    server_timing_ms,
)
from checks.speed.probes import (
    PROBE_TIMEOUT_S,
    HandshakeLost,
    Target,
    foreign_probe,
    kernel_bytes_acked,
    kernel_bytes_received,
    kernel_rtt_us,
    one_exchange_ms,
    resolve,
)
from checks.speed.rpm import Probes

DOWNLOAD_FIRST_BYTES = 128 * 1024
DOWNLOAD_MAX_BYTES = 200 * 1024 * 1024
"""Download requests grow until each takes about ``REQUEST_TARGET_S``; the last is cut off."""
UPLOAD_FIRST_BYTES = 256 * 1024
UPLOAD_MAX_BYTES = 64 * 1024 * 1024
REQUEST_TARGET_S = 0.3
"""Requests grow until each takes about this long, so each connection is free for a self
probe several times a second."""
PIECE = 256 * 1024
RAMP_FRACTION = 0.25
SAMPLE_INTERVAL_S = 0.1
SELF_PROBE_INTERVAL_S = 0.2
"""At most one self probe per load-generating connection this often."""
FOREIGN_PROBE_INTERVAL_S = 0.05
FOREIGN_IN_FLIGHT = 3
GROW_INTERVAL_S = 0.25
GROWTH = 1.05
"""During the ramp, connections are added while goodput still grows by more than this."""
MAX_STREAMS = 16


@dataclass
class DirectionResult:
    """What one direction measured."""

    mbps: float
    bytes_moved: int
    seconds: float
    window_s: float
    probes: Probes = field(default_factory=Probes)
    streams: int = 0
    probe_window: tuple[float, float] = (0.0, 0.0)
    """When the probes ran, as :func:`time.time` instants (for benchmarks to line up with)."""


@dataclass
class HttpMeasurement:
    """The whole measurement."""

    latency_ms: list[float]
    download: DirectionResult
    upload: DirectionResult


async def _probe_latency(
    client: Any, url: str, stream: Any = None, *, sender: bool = False
) -> float:
    """One small request's round trip, less the server's own time. With ``stream`` (the
    connection it is expected to go out on) the kernel's view of that round trip is used
    when it has one. With ``sender``, the server's own smoothed round trip of the
    connection is the figure when the answer carries one (see :meth:`_Probing.self_probe`)."""
    before = None if stream is None else kernel_rtt_us(stream.get_extra_info("socket"))
    started = time.perf_counter()
    response = await client.get(url, params={"bytes": "0"})
    elapsed = (time.perf_counter() - started) * 1000
    await response.aread()
    if response.status_code >= 400:
        raise CheckError(
            f"the speed-test server answered {response.status_code} to a latency probe",
            outcome="unreachable",
        )
    timing = response.headers.get("server-timing")
    if sender and (rtt := server_rtt_ms(timing)) is not None:
        return rtt
    wall = max(0.0, elapsed - server_timing_ms(timing))
    if stream is None or response.extensions.get("network_stream") is not stream:
        return wall
    return one_exchange_ms(before, kernel_rtt_us(stream.get_extra_info("socket")), wall)


class _Probing:
    """The probes of one direction, taken only once the ramp is over."""

    def __init__(self, started: float, duration: float) -> None:
        self.probes = Probes()
        self.start = started + duration * RAMP_FRACTION
        self.end = started + duration
        self.watched: dict[int, Any] = {}
        offset = time.time() - time.perf_counter()
        self.window = (self.start + offset, self.end + offset)

    def loaded(self) -> bool:
        """Whether the load is up and still running."""
        return self.start <= time.perf_counter() < self.end

    def watch(self, response: Any) -> bool:
        """Follow the kernel's RTT of the upload connection ``response`` came on, when the
        kernel keeps one. The client is the sender there, so that RTT is what the
        connection's own data meets in the queue, its own share included, which a request
        sent between uploads (HTTP/1.1 allows no other) would miss. (Downloads have no
        such figure: the receiver's estimate also counts the time the server's data waits
        in the server's socket, which is not the path's queue.)"""
        stream = response.extensions.get("network_stream")
        sock = None if stream is None else stream.get_extra_info("socket")
        if sock is None:
            return False
        if id(sock) in self.watched:
            return True
        if kernel_rtt_us(sock) is None:  # no TCP_INFO here
            return False
        self.watched[id(sock)] = sock
        return True

    def read_watched(self) -> None:
        """One self sample from every followed connection, while the load is up."""
        if not self.loaded():
            return
        for sock in list(self.watched.values()):
            rtt = kernel_rtt_us(sock)
            if rtt is not None:
                self.probes.self_http.append(rtt / 1000)

    async def self_probe(
        self, client: Any, url: str, last: float, response: Any, *, sender: bool = False
    ) -> float:
        """A self probe on ``client`` (on the connection ``response`` came on) when one is
        due; the time of the last one.

        On HTTP/1.1 the probe can only go out between transfers, once the connection's
        own data has left the queue, so its round trip misses that connection's share.
        With ``sender`` (downloads straight to the server, which is the sender there)
        the figure is the server's smoothed round trip of the connection when its answer
        carries one (the ``cfL4`` part of ``Server-Timing``): timed on the
        acknowledgements of the data it just sent, it is what that data met in the
        queue, its own share included, as the kernel's RTT is for an upload connection."""
        now = time.perf_counter()
        if not self.loaded() or now - last < SELF_PROBE_INTERVAL_S:
            return last
        stream = response.extensions.get("network_stream")
        try:
            value = await asyncio.wait_for(
                _probe_latency(client, url, stream, sender=sender), PROBE_TIMEOUT_S
            )
        except TimeoutError:
            self.probes.timed_out += 1
        except CheckError:
            self.probes.failed += 1
        else:
            self.probes.self_http.append(value)
        return now

    async def foreign(self, target: Target | None, stop: asyncio.Event) -> None:
        """Foreign probes, a new one every interval (a few at a time), until ``stop``."""
        running: set[asyncio.Task[None]] = set()
        try:
            while target is not None and not stop.is_set():
                if self.loaded() and len(running) < FOREIGN_IN_FLIGHT:
                    task = asyncio.create_task(self._one_foreign(target))
                    running.add(task)
                    task.add_done_callback(running.discard)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), FOREIGN_PROBE_INTERVAL_S)
        finally:
            for task in list(running):
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def _one_foreign(self, target: Target) -> None:
        try:
            sample = await foreign_probe(target)
        except HandshakeLost:
            self.probes.lost += 1
        except TimeoutError:
            self.probes.timed_out += 1
        except Exception:  # a refused or broken probe connection: counted, not fatal
            self.probes.failed += 1
        else:
            if time.perf_counter() > self.end:
                return  # it finished after the load stopped: not a loaded figure
            self.probes.tcp.append(sample.tcp_ms)
            if sample.tls_ms is not None:
                self.probes.tls.append(sample.tls_ms)
            self.probes.http.append(sample.http_ms)


async def _finish(
    tasks: list[asyncio.Task[None]], prober: asyncio.Task[None], stop: asyncio.Event
) -> list[BaseException]:
    """Stop the streams and the foreign prober; the errors the streams ended with."""
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


class _Grower:
    """Adds load-generating connections during the ramp while goodput keeps growing."""

    def __init__(self, started: float, duration: float, step: int) -> None:
        self.until = started + duration * RAMP_FRACTION * 0.75
        self.step = max(1, step // 2)
        self.last = started
        self.last_bytes = 0.0
        self.rate: float | None = None

    def more(self, now: float, total: float, running: int) -> int:
        """How many connections to add now."""
        if now >= self.until or now - self.last < GROW_INTERVAL_S:
            return 0
        rate = (total - self.last_bytes) / (now - self.last)
        grew = self.rate is not None and rate > self.rate * GROWTH
        self.last, self.last_bytes, self.rate = now, total, rate
        return min(self.step, MAX_STREAMS - running) if grew else 0


class _KernelBytes:
    """The bytes every connection of a direction moved, as the kernel counts them: those
    the server acknowledged (upload) or those that arrived (download). That is what crossed
    the link, whenever it crossed, unlike a request's bytes spread over its time (the
    requests still in flight at the end finish faster once the others have stopped) or the
    bytes the client happened to read (a busy client reads a socket's backlog late, so the
    bytes that arrived before the ramp's end would count inside the window)."""

    def __init__(self, count: Callable[[Any], int | None]) -> None:
        self.count = count
        self.sockets: dict[int, Any] = {}
        self.last: dict[int, int] = {}
        self.known = True
        self.marks: list[tuple[float, int]] = []

    async def on_request(self, request: Any) -> None:
        """A request hook for a client: trace every request it sends, whatever opens a
        connection (a transfer or a self probe)."""
        request.extensions["trace"] = self.trace

    def answered(self, response: Any) -> None:
        """An answer on a connection not followed means the count is not whole."""
        stream = response.extensions.get("network_stream")
        sock = None if stream is None else stream.get_extra_info("socket")
        if sock is None or id(sock) not in self.sockets:
            self.known = False

    async def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpx's ``trace`` extension: follow each connection as it is opened."""
        if event == "connection.connect_tcp.complete":
            stream = info.get("return_value")
            sock = None if stream is None else stream.get_extra_info("socket")
            if sock is None or self.count(sock) is None:
                self.known = False
            else:
                self.sockets[id(sock)] = sock

    def refresh(self) -> None:
        """Read every connection's count (a closed one keeps its last: a stream refreshes
        just before it closes its connection)."""
        for key, sock in self.sockets.items():
            value = self.count(sock)
            if value is not None:
                self.last[key] = value

    def mark(self, now: float) -> None:
        """Note the bytes counted so far on every connection, at ``now``."""
        self.refresh()
        self.marks.append((now, sum(self.last.values())))

    def rate(self) -> tuple[float, float] | None:
        """Bytes and seconds between the first and last marks, when the kernel counted
        on every connection."""
        if not self.known or not self.sockets or len(self.marks) < 2:
            return None
        (t0, b0), (t1, b1) = self.marks[0], self.marks[-1]
        return (b1 - b0, t1 - t0) if t1 > t0 and b1 > b0 else None


def download_streams(streams: int) -> int:
    """Downloads open twice as many connections (at most ``MAX_STREAMS``). A self probe on
    a download connection goes out between transfers, when that connection's own share
    of the queue has drained; the more connections share the queue, the less it misses.
    (Uploads take their self figure from the kernel, which sees the whole queue.)"""
    return max(streams, min(MAX_STREAMS, 2 * streams))


def _spread(size: int) -> int:
    """``size`` give or take a third, so that the connections do not finish their requests
    together: self probes go out between requests, and would all meet a queue that every
    connection had just stopped feeding."""
    return max(1, int(size * random.uniform(0.67, 1.33)))


def _straight_to(response: Any, target: Target | None) -> bool:
    """Whether ``response`` came on a connection straight to the server (not through a
    proxy, whose own round trip to the server a ``cfL4`` figure would be)."""
    stream = response.extensions.get("network_stream")
    sock = None if stream is None else stream.get_extra_info("socket")
    if sock is None or target is None:
        return False
    try:
        peer = sock.getpeername()
    except OSError:
        return False
    return len(peer) >= 2 and str(peer[0]) in target.addresses and peer[1] == target.port


async def _target(url: str) -> Target | None:
    try:
        return await asyncio.wait_for(resolve(url), PROBE_TIMEOUT_S)
    except (OSError, TimeoutError, UnicodeError):
        return None


async def measure_download(
    make_client: Callable[[], Any],
    url: str,
    streams: int,
    duration: float,
    on_rate: Callable[[float, float], None],
) -> DirectionResult:
    """Download on ``streams`` connections (more while goodput grows) for ``duration`` s."""
    received = 0
    started = time.perf_counter()
    end = started + duration
    ramp_at = started + duration * RAMP_FRACTION
    at_ramp: float | None = None
    probing = _Probing(started, duration)
    target = await _target(url)
    arrived = _KernelBytes(kernel_bytes_received)

    async def stream() -> None:
        nonlocal received
        size = DOWNLOAD_FIRST_BYTES
        last_probe = 0.0
        async with make_client() as client:
            client.event_hooks["request"].append(arrived.on_request)
            try:
                while time.perf_counter() < end:
                    t0 = time.perf_counter()
                    asked = _spread(size)
                    async with client.stream("GET", url, params={"bytes": str(asked)}) as r:
                        arrived.answered(r)
                        if r.status_code >= 400:
                            raise CheckError(
                                f"the download server answered {r.status_code}",
                                outcome="unreachable",
                            )
                        async for chunk in r.aiter_raw():
                            received += len(chunk)
                            if time.perf_counter() >= end:
                                # Before the response closes: leaving a body unread closes
                                # its connection, and a closed socket says nothing more.
                                arrived.refresh()
                                return
                    if time.perf_counter() - t0 < REQUEST_TARGET_S and size < DOWNLOAD_MAX_BYTES:
                        size *= 2
                    direct = _straight_to(r, target)
                    last_probe = await probing.self_probe(client, url, last_probe, r, sender=direct)
            finally:
                arrived.refresh()

    stop = asyncio.Event()
    prober = asyncio.create_task(probing.foreign(target, stop))
    tasks = [asyncio.create_task(stream()) for _ in range(streams)]
    meter = _Meter(on_rate)
    grower = _Grower(started, duration, streams)
    try:
        while not all(t.done() for t in tasks):
            # Wake at the ramp's end and at the end themselves: the arrived bytes are read then.
            due = next((t for t in (ramp_at, end) if t > time.perf_counter()), end)
            wait = min(SAMPLE_INTERVAL_S, max(0.0, due - time.perf_counter()))
            await asyncio.wait(tasks, timeout=wait)
            now = time.perf_counter()
            if at_ramp is None and now >= ramp_at:
                at_ramp = received
                ramp_at = now
                arrived.mark(now)
            elif len(arrived.marks) == 1 and now >= end:
                arrived.mark(now)
            meter.sample(now, received)
            tasks += [
                asyncio.create_task(stream()) for _ in range(grower.more(now, received, len(tasks)))
            ]
    finally:
        errors = await _finish(tasks, prober, stop)
    finished = time.perf_counter()
    if len(arrived.marks) == 1:  # every stream stopped before the loop woke at the end
        arrived.mark(min(finished, max(end, arrived.marks[0][0])))
    if errors and received == 0:
        raise errors[0]
    window = max(1e-6, min(finished, end) - ramp_at)
    counted = received - (at_ramp or 0)
    if (kernel := arrived.rate()) is not None:
        counted, window = kernel
    return DirectionResult(
        mbps(counted, window),
        received,
        finished - started,
        window,
        probing.probes,
        len(tasks),
        probing.window,
    )


async def measure_upload(
    make_client: Callable[[], Any],
    url: str,
    streams: int,
    duration: float,
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
    probing = _Probing(started, duration)
    target = await _target(probe_url)
    acked = _KernelBytes(kernel_bytes_acked)
    ramp = started + duration * RAMP_FRACTION

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
        last_probe = 0.0
        async with make_client() as client:
            client.event_hooks["request"].append(acked.on_request)
            try:
                while time.perf_counter() < end:
                    t0 = time.perf_counter()
                    sent = _spread(size)
                    response = await client.post(
                        url,
                        content=body(sent),
                        headers={
                            "Content-Length": str(sent),
                            "Content-Type": "application/octet-stream",
                        },
                    )
                    acked.answered(response)
                    t1 = time.perf_counter()
                    if response.status_code >= 400:
                        raise CheckError(
                            f"the upload server answered {response.status_code}",
                            outcome="unreachable",
                        )
                    transfers.append(Transfer(t0, t1, sent))
                    if t1 - t0 < REQUEST_TARGET_S and size < UPLOAD_MAX_BYTES:
                        size *= 2
                    if not probing.watch(response):
                        last_probe = await probing.self_probe(
                            client, probe_url, last_probe, response
                        )
            finally:
                acked.refresh()

    stop = asyncio.Event()
    prober = asyncio.create_task(probing.foreign(target, stop))
    tasks = [asyncio.create_task(stream()) for _ in range(streams)]
    meter = _Meter(on_rate)
    grower = _Grower(started, duration, streams)
    try:
        # Let the requests in flight at the end finish (their bytes belong in the window),
        # but no longer than the grace allows.
        stop_at = end + grace
        while not all(t.done() for t in tasks) and time.perf_counter() < stop_at:
            # Wake at the ramp's end and at the end themselves: the acknowledged bytes are
            # read then, and after the end the streams start no more requests.
            due = next((t for t in (ramp, end) if t > time.perf_counter()), stop_at)
            wait = min(SAMPLE_INTERVAL_S, max(0.0, due - time.perf_counter()))
            await asyncio.wait(tasks, timeout=wait)
            now = time.perf_counter()
            if (not acked.marks and now >= ramp) or (len(acked.marks) == 1 and now >= end):
                acked.mark(now)
            if now <= end:
                probing.read_watched()
                meter.sample(now, handed)  # bytes handed over: close enough for a live gauge
                more = grower.more(now, handed, len(tasks))
                tasks += [asyncio.create_task(stream()) for _ in range(more)]
    finally:
        errors = await _finish(tasks, prober, stop)
    finished = time.perf_counter()
    if errors and not transfers:
        raise errors[0]
    window_end = min(end, max((t.end for t in transfers), default=end))
    window = max(1e-6, window_end - ramp)
    counted = bytes_in_window(transfers, ramp, window_end)
    if (kernel := acked.rate()) is not None:
        counted, window = kernel
    moved = sum(t.size for t in transfers)
    return DirectionResult(
        mbps(counted, window),
        moved,
        finished - started,
        window,
        probing.probes,
        len(tasks),
        probing.window,
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
            download_streams(streams),
            duration,
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
            down_url,
            lambda rate, now: progress("upload", 0.5 + 0.5 * (now - u0) / duration, rate),
            grace,
        )
        progress("upload", 1.0, upload.mbps, "upload done")
    return HttpMeasurement(latency, download, upload)

"""``speed``: is this connection good enough for short video? Download, upload, latency,
jitter and latency under load, with a live rate for the gauge."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any
from urllib.parse import urlsplit

from checks.api import (
    Check,
    CheckContext,
    CheckError,
    CheckResult,
    Metric,
    Param,
    Progress,
    Setting,
    Status,
    Table,
    run_blocking,
)
from checks.net.failure import describe_failure
from checks.speed.measure import jitter, median, quality_scores
from checks.speed.rpm import WORDS, Responsiveness, grade, summarise

BUFFERBLOAT_ADVICE = (
    "This is bufferbloat: the line is fast enough, but queues up when it is busy. Turn on "
    "SQM ('smart queue', sometimes under QoS) on the router, stop other uploads, backups "
    "and downloads while you post or go live, and prefer 5 GHz Wi-Fi to 2.4 GHz."
)
JITTER_ADVICE = (
    "Move closer to the router (or try mobile data for a moment) and pause other streams "
    "on the network; if it stays unsteady, restart the router."
)

BACKENDS = ("auto", "http", "ookla")


class SpeedCheck(Check):
    """Download, upload, idle latency, jitter, loaded latency and responsiveness (RPM)."""

    id = "speed"
    title = "Connection speed"
    description = (
        "Measures download and upload rates, latency, jitter, latency under load and "
        "responsiveness (RPM), and says in plain words what they mean for short video, "
        "live streams and video calls."
    )
    outcomes = ("good", "slow", "unstable", "unreachable")
    params = (Param("backend", "auto, http or ookla (overrides speed.backend)", choices=BACKENDS),)
    settings = (
        Setting(
            "backend",
            "auto",
            "auto, http (our multi-stream measurement) or ookla (speedtest-cli).",
            choices=BACKENDS,
        ),
        Setting(
            "download_url",
            "https://speed.cloudflare.com/__down",
            "Answers GET ?bytes=N with N bytes.",
        ),
        Setting(
            "upload_url",
            "https://speed.cloudflare.com/__up",
            "Accepts a POST body and discards it.",
        ),
        Setting(
            "ookla_server",
            "",
            "host:port of a speedtest.net-protocol server to use instead of the nearest.",
        ),
        Setting(
            "ookla_config_url",
            "https://www.speedtest.net/speedtest-config.php",
            "Where speedtest-cli's configuration is fetched when no server is given.",
        ),
        Setting(
            "duration_s",
            4.0,
            "How long each direction is measured, in seconds.",
            minimum=0.5,
            maximum=60,
        ),
        Setting(
            "streams",
            6,
            "Parallel connections uploading (downloads open twice as many, up to 16).",
            minimum=1,
            maximum=32,
        ),
        Setting(
            "latency_probes",
            12,
            "Idle latency probes (the median is reported).",
            minimum=10,
            maximum=100,
        ),
        Setting(
            "min_download_mbps",
            5.0,
            "Below this download rate the line counts as slow (HD short video).",
            minimum=0,
        ),
        Setting(
            "min_upload_mbps",
            1.5,
            "Below this upload rate the line counts as slow (posting, live).",
            minimum=0,
        ),
        Setting("max_jitter_ms", 30.0, "Jitter above this counts as unstable.", minimum=0),
        Setting(
            "max_loaded_latency_ms",
            250.0,
            "Latency under load above this counts as unstable.",
            minimum=0,
        ),
    )
    timeout_s = 20.0

    async def run(self, context: CheckContext) -> CheckResult:
        backend = context.param("backend") or str(context.setting("backend"))
        if backend not in BACKENDS:
            raise CheckError(f"unknown speed-test backend {backend!r}; use auto, http or ookla")
        duration = float(context.setting("duration_s"))
        if backend == "auto":
            backend = "http" if await self._http_answers(context) else "ookla"
        if backend == "http":
            return await self._run_http(context, duration)
        return await self._run_ookla(context, duration)

    async def _http_answers(self, context: CheckContext) -> bool:
        from checks.speed.http_backend import _probe_latency

        try:
            async with context.http_client(timeout=2.0, trust_env=True) as client:
                await asyncio.wait_for(
                    _probe_latency(client, str(context.setting("download_url"))), 2.5
                )
            return True
        except Exception:
            return False

    async def _run_http(self, context: CheckContext, duration: float) -> CheckResult:
        import httpx

        from checks.speed.http_backend import download_streams, run_http
        from checks.speed.probes import PROBE_TIMEOUT_S

        streams = max(1, int(context.setting("streams")))
        probes = max(10, int(context.setting("latency_probes")))
        try:
            m = await run_http(context, duration, streams, probes)
        except CheckError:
            raise
        except (httpx.HTTPError, OSError) as exc:
            host = urlsplit(str(context.setting("download_url"))).hostname or "the server"
            raise CheckError(
                f"The speed-test server could not be reached: {describe_failure(exc, host)}",
                outcome="unreachable",
            ) from None
        idle = median(m.latency_ms)
        jit = jitter(m.latency_ms)
        rpms = {
            "download": summarise(m.download.probes, PROBE_TIMEOUT_S * 1000),
            "upload": summarise(m.upload.probes, PROBE_TIMEOUT_S * 1000),
        }
        loaded_down = rpms["download"].loaded_ms
        loaded_up = rpms["upload"].loaded_ms
        loaded = max((v for v in (loaded_down, loaded_up) if v is not None), default=None)
        details: dict[str, Any] = {
            "backend": "http",
            "download_url": str(context.setting("download_url")),
            "upload_url": str(context.setting("upload_url")),
            "streams": streams,
            "streams_used": {"download": m.download.streams, "upload": m.upload.streams},
            "duration_s": duration,
            "bytes_received": m.download.bytes_moved,
            "bytes_sent": m.upload.bytes_moved,
            "latency_samples_ms": [round(v, 2) for v in m.latency_ms],
            "method": (
                f"{streams} parallel streams uploading and {download_streams(streams)} "
                f"downloading for {duration:g} s each, more added "
                "during the ramp while goodput still grew; the first 25% of each direction "
                "is ramp-up and left out. Download counts bytes as they arrive; upload "
                "spreads each request's bytes over its own duration. Idle latency is the "
                f"median of {len(m.latency_ms)} probes on a warm connection less the server's "
                "own time; jitter is the mean difference between consecutive probes. "
                "Responsiveness follows the IETF draft 'Responsiveness under Working "
                "Conditions': once the load is up, foreign probes (a new connection each: TCP "
                "handshake, TLS handshake, HTTP request) and self probes (a request on the "
                "load-generating connections) are timed; loaded latency is the mean of the "
                "foreign and self trimmed means (slowest 5% left out), RPM = 60000 / it."
            ),
        }
        details["responsiveness"] = {
            direction: _responsiveness_details(r) for direction, r in rpms.items()
        }
        return self._verdict(
            context,
            m.download.mbps,
            m.upload.mbps,
            idle,
            jit,
            loaded_down,
            loaded_up,
            loaded,
            details,
            rpms,
        )

    async def _run_ookla(self, context: CheckContext, duration: float) -> CheckResult:
        from checks.speed.ookla_backend import CONFIG_URL, run_ookla

        stop = threading.Event()
        server = str(context.setting("ookla_server"))
        started = time.perf_counter()

        def on_phase(name: str) -> None:
            context.progress(
                Progress(
                    phase=name,
                    message="with speedtest.net",
                    elapsed_s=time.perf_counter() - started,
                    expected_s=duration * 2 + 2,
                )
            )

        timeout = max(1.0, min(10.0, context.remaining() / 2))
        try:
            m = await run_blocking(
                run_ookla,
                server,
                duration,
                timeout,
                stop,
                str(context.setting("ookla_config_url") or CONFIG_URL),
                on_phase,
            )
        finally:
            stop.set()
        details: dict[str, Any] = {
            "backend": "ookla",
            "server": m.server,
            "bytes_received": m.bytes_received,
            "bytes_sent": m.bytes_sent,
            "ping_ms": round(m.latency_ms, 3),
            "ping_requests_mean_ms": round(m.latency_ms * 2, 3),
            "rate_includes_ramp_up": True,
            "method": (
                "speedtest-cli, its figures as it measured them. Its rates count every byte "
                "from the first request, so they include the ramp-up (TCP slow start) and "
                "read lower than the link on short tests. Its ping is half the mean time of "
                "three requests each made on a new connection (a TCP handshake and the "
                "request, so about two round trips; halved, about one). It measures no "
                "jitter and no latency under load."
            ),
        }
        return self._verdict(
            context, m.download_mbps, m.upload_mbps, m.latency_ms, None, None, None, None, details
        )

    def _verdict(
        self,
        context: CheckContext,
        down: float,
        up: float,
        idle: float | None,
        jit: float | None,
        loaded_down: float | None,
        loaded_up: float | None,
        loaded: float | None,
        details: dict[str, Any],
        rpms: dict[str, Responsiveness] | None = None,
    ) -> CheckResult:
        min_down = float(context.setting("min_download_mbps"))
        min_up = float(context.setting("min_upload_mbps"))
        max_jitter = float(context.setting("max_jitter_ms"))
        max_loaded = float(context.setting("max_loaded_latency_ms"))
        metrics = [
            Metric("download", down, "Mbit/s", "download"),
            Metric("upload", up, "Mbit/s", "upload"),
        ]
        if idle is not None:
            label = "ping (speedtest-cli's)" if details["backend"] == "ookla" else "latency (idle)"
            metrics.append(Metric("latency", idle, "ms", label))
        if jit is not None:
            metrics.append(Metric("jitter", jit, "ms", "jitter"))
        if loaded_down is not None:
            metrics.append(
                Metric("loaded_latency_down", loaded_down, "ms", "latency while downloading")
            )
        if loaded_up is not None:
            metrics.append(Metric("loaded_latency_up", loaded_up, "ms", "latency while uploading"))
        tables = []
        worst_rpm: float | None = None
        for direction, r in (rpms or {}).items():
            if r.rpm is not None:
                short = "down" if direction == "download" else "up"
                metrics.append(Metric(f"rpm_{short}", r.rpm, "RPM", f"responsiveness {short}"))
                worst_rpm = r.rpm if worst_rpm is None else min(worst_rpm, r.rpm)
        if rpms:
            tables.append(_responsiveness_table(rpms))
        scores = quality_scores(down, up, idle, jit, loaded)
        details["quality"] = {q.use: {"grade": q.grade, "words": q.words} for q in scores}
        table = Table(
            "What this connection is good for",
            ("use", "grade", "meaning"),
            tuple((q.use.replace("_", " "), q.grade, q.words) for q in scores),
        )
        # The summary says the speed in the words a person reads on a phone's own speed
        # test; latency, jitter and RPM are in the metrics and the tables.
        figures = f"{down:.1f} Mbit/s down, {up:.1f} Mbit/s up"
        tables.insert(0, table)
        # What the worse direction's RPM means, in words, where the summary is all one sees.
        feel = "" if worst_rpm is None else f" {WORDS[grade(worst_rpm)]}"
        if down < min_down or up < min_up:
            need = f"short video needs about {min_down:g} Mbit/s down and {min_up:g} up"
            return self.result(
                "slow",
                Status.FAILED,
                f"Too slow for smooth video: {figures} ({need}).",
                advice=(
                    "Move closer to the router, switch between Wi-Fi and mobile data, or "
                    "restart the router; if it stays slow, ask your provider."
                ),
                details=details,
                metrics=tuple(metrics),
                tables=tuple(tables),
            )
        unstable, said = [], []
        if jit is not None and jit > max_jitter:
            unstable.append(f"jitter {jit:.0f} ms (over {max_jitter:g})")
            said.append("its delay jumps about")
        if loaded is not None and loaded > max_loaded:
            unstable.append(
                f"latency under load {loaded:.0f} ms (over {max_loaded:g}): bufferbloat"
            )
            said.append("it slows right down while it is busy")
        bloated = loaded is not None and loaded > max_loaded
        if unstable:
            details["unsteady"] = unstable
            return self.result(
                "unstable",
                Status.WARNING,
                f"Fast enough ({figures}) but unsteady: {' and '.join(said)}.{feel}",
                advice=BUFFERBLOAT_ADVICE if bloated else JITTER_ADVICE,
                details=details,
                metrics=tuple(metrics),
                tables=tuple(tables),
            )
        return self.result(
            "good",
            Status.OK,
            f"Good for short video: {figures}.{feel}",
            details=details,
            metrics=tuple(metrics),
            tables=tuple(tables),
        )


def _responsiveness_details(r: Responsiveness) -> dict[str, Any]:
    """One direction's responsiveness as plain data for the details."""

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    out: dict[str, Any] = {
        "rpm": rounded(r.rpm),
        "grade": grade(r.rpm),
        "words": WORDS[grade(r.rpm)],
        "loaded_latency_ms": rounded(r.loaded_ms),
        "foreign_latency_ms": rounded(r.foreign_ms),
        "self_latency_ms": rounded(r.self_ms),
        "foreign_probes": r.foreign_probes,
        "self_probes": r.self_probes,
    }
    if not r.confident:
        out["confidence"] = _few(r)
    return out


def _few(r: Responsiveness) -> str:
    return (
        f"low confidence: only {r.foreign_probes} foreign and {r.self_probes} self probes "
        "(a longer test gives more)"
    )


def _responsiveness_table(rpms: dict[str, Responsiveness]) -> Table:
    """RPM per direction with its latencies and what it means."""
    rows = []
    for direction, r in rpms.items():
        rpm = "-" if r.rpm is None else f"{r.rpm:.0f}"
        parts = " / ".join(
            "-" if v is None else f"{v:.0f} ms" for v in (r.loaded_ms, r.foreign_ms, r.self_ms)
        )
        words = WORDS[grade(r.rpm)]
        if not r.confident:
            words += f" ({_few(r)})"
        rows.append((direction, rpm, parts, words))
    return Table(
        "Responsiveness under load",
        ("while", "RPM", "loaded / foreign / self", "meaning"),
        tuple(rows),
    )

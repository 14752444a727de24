"""``connectivity``: "is it my internet?", answered in layers within a few seconds."""

from __future__ import annotations

import asyncio
import time
import urllib.request
from collections.abc import Sequence

from checks.api import (
    Check,
    CheckContext,
    CheckResult,
    Metric,
    Progress,
    Setting,
    Table,
    run_blocking,
)
from checks.net.probe import EndpointResult

DEFAULT_TIMEOUT_S = 5.0


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def endpoint_table(endpoints: Sequence[EndpointResult]) -> Table:
    """The per-endpoint table of the details: DNS, connect, TLS, status, total, error."""
    rows = []
    for p in endpoints:
        dns = "literal" if p.dns is not None and p.dns.literal else _ms(p.dns.ms if p.dns else None)
        rows.append(
            (
                p.role,
                p.url,
                dns,
                _ms(p.connect_ms),
                _ms(p.tls_ms),
                str(p.status) if p.status is not None else "–",
                _ms(p.total_ms),
                p.words or "ok",
            )
        )
    return Table(
        "Endpoints (times in ms)",
        ("role", "url", "dns", "connect", "tls", "http", "total", "result"),
        tuple(rows),
    )


class ConnectivityCheck(Check):
    """Network, DNS, captive portal, TLS, proxy, the service and the speed of answers."""

    id = "connectivity"
    title = "Internet connection"
    description = (
        "Checks, layer by layer, whether this device is online, whether names resolve, whether "
        "a Wi-Fi sign-in page or a proxy is in the way, whether secure connections are "
        "intercepted, and whether TikTok's servers answer, and how fast."
    )
    outcomes = (
        "online",
        "no_network",
        "dns_failure",
        "captive_portal",
        "service_blocked",
        "service_down",
        "tls_intercepted",
        "proxy_error",
        "degraded",
    )
    settings = (
        Setting(
            "service_urls",
            [
                "https://www.tiktok.com/",
                "https://m.tiktok.com/",
                "https://api16-normal-c-useast1a.tiktokv.com/",
            ],
            "The service's own endpoints: the web site, the mobile site and an API host of the app.",
        ),
        Setting(
            "baseline_urls",
            [
                "https://www.google.com/generate_204",
                "https://www.cloudflare.com/cdn-cgi/trace",
                "https://www.wikipedia.org/",
            ],
            "Well-known sites that tell 'my internet' from 'their service'.",
        ),
        Setting(
            "portal_url",
            "http://connectivitycheck.gstatic.com/generate_204",
            "A plain-HTTP URL that answers 204 with no body; anything else means a captive portal.",
        ),
        Setting(
            "portal_body",
            "",
            "If set, the portal probe may also answer 200 with exactly this body.",
        ),
        Setting.seconds(
            "timeout_s", DEFAULT_TIMEOUT_S, "Bound on the whole connectivity check, in seconds."
        ),
        Setting(
            "slow_ms",
            1500.0,
            "An endpoint slower than this (total time) counts as slow.",
            minimum=0,
            above=True,
        ),
    )
    timeout_s = DEFAULT_TIMEOUT_S + 1.0

    async def run(self, context: CheckContext) -> CheckResult:
        import httpx

        from checks.net.interfaces import default_route, list_interfaces
        from checks.net.probe import probe
        from checks.net.verdict import Observations, decide

        budget = float(context.setting("timeout_s"))
        deadline = min(time.monotonic() + budget, context.deadline) - 0.05
        service = list(context.setting("service_urls"))
        baseline = list(context.setting("baseline_urls"))
        portal_url = str(context.setting("portal_url"))
        interfaces = await run_blocking(list_interfaces)
        route = default_route()
        proxies = {
            k: v for k, v in urllib.request.getproxies().items() if k in ("http", "https", "all")
        }
        done = 0
        total = len(service) + len(baseline) + (1 if portal_url else 0)
        # The progress line is for a person: how far, in words; the URLs are in the details.
        phase = "trying TikTok and other sites"
        context.progress(Progress(phase, 0.1, f"0 of {total} tried"))

        timeout = httpx.Timeout(budget)
        async with context.http_client(timeout=timeout, trust_env=True) as client:

            async def run_probe(url: str, role: str, **kwargs: bool) -> EndpointResult:
                nonlocal done
                result = await probe(client, url, role, deadline, **kwargs)
                done += 1
                context.progress(Progress(phase, done / max(total, 1), f"{done} of {total} tried"))
                return result

            tasks = [run_probe(u, "service") for u in service]
            tasks += [run_probe(u, "baseline") for u in baseline]
            if portal_url:
                tasks.append(run_probe(portal_url, "portal", read_body=True))
            results = await asyncio.gather(*tasks)
        service_results = list(results[: len(service)])
        baseline_results = list(results[len(service) : len(service) + len(baseline)])
        portal_result = results[-1] if portal_url else None
        verdict = decide(
            Observations(
                interfaces=interfaces,
                route=route,
                service=service_results,
                baseline=baseline_results,
                portal=portal_result,
                proxies=proxies,
                slow_ms=float(context.setting("slow_ms")),
                portal_body=str(context.setting("portal_body")),
            )
        )
        endpoints = [
            *service_results,
            *baseline_results,
            *([portal_result] if portal_result else []),
        ]
        usable = [i for i in interfaces if i.usable]
        answered = [p.total_ms for p in endpoints if p.total_ms is not None and p.role != "portal"]
        metrics = [Metric("slowest_ms", max(answered), "ms", "slowest answer")] if answered else []
        return self.result(
            verdict.outcome,
            verdict.status,
            verdict.summary,
            advice=verdict.advice,
            details={
                "layers": [layer.to_dict() for layer in verdict.layers],
                "network_type": usable[0].kind if usable else "none",
                "interfaces": [
                    {"name": i.name, "kind": i.kind, "up": i.up, "addresses": list(i.addresses)}
                    for i in interfaces
                    if i.kind != "loopback"
                ],
                "default_route": (
                    {"interface": route.interface, "gateway": route.gateway} if route else None
                ),
                "proxies": proxies,
                "endpoints": [
                    {
                        "url": p.url,
                        "role": p.role,
                        "address": p.address,
                        "dns_ms": p.dns.ms if p.dns else None,
                        "dns_error": p.dns.error if p.dns else None,
                        "connect_ms": p.connect_ms,
                        "tls_ms": p.tls_ms,
                        "status": p.status,
                        "total_ms": p.total_ms,
                        "error": p.error,
                        "result": p.words or "ok",
                    }
                    for p in endpoints
                ],
            },
            metrics=tuple(metrics),
            tables=(endpoint_table(endpoints),),
        )

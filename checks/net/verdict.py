"""From probe results to one outcome, layer by layer, the way a network engineer reads them.

Pure logic: no sockets here. The first failing layer explains the ones after it, so the
order of the tests below is the order of the layers: proxy, local network, captive
portal, name resolution, TLS, reachability, the service itself, then speed.

A verdict's summary is said to a person who uses TikTok, in plain words; the layers keep
the technical notes (interface names, DNS errors, status codes, exception words) for the
details and the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from checks.api import Status
from checks.net.interfaces import Interface, Route
from checks.net.probe import EndpointResult

TIMEOUT_ERRORS = frozenset({"connect_timeout", "no_answer", "timeout"})

ADVICE = {
    "online": "Your connection looks fine, so the problem is probably not the network.",
    "no_network": "Turn Wi-Fi or mobile data on, check that airplane mode is off, and move "
    "closer to the router.",
    "dns_failure": "Restart the router, or switch to mobile data. If it keeps happening, set a "
    "public DNS server (such as 1.1.1.1) in the network settings.",
    "captive_portal": "Open a web browser and complete the Wi-Fi's sign-in page (hotels, cafés, "
    "trains and airports use one), then try again.",
    "service_blocked": "Other sites work but TikTok does not answer on this network. Try mobile "
    "data instead of Wi-Fi, or another network: this one (school, work, or a country-wide "
    "filter) may block it.",
    "service_down": "TikTok's servers answer with errors, so the problem is on their side. Wait "
    "a while and try again.",
    "tls_intercepted": "Something is intercepting secure connections (an antivirus web shield, "
    "a company proxy or a public Wi-Fi filter). Try another network, or turn off HTTPS "
    "scanning in your security software.",
    "proxy_error": "A proxy is set on this device but does not work. Remove it or correct it "
    "(the environment variables HTTP_PROXY / HTTPS_PROXY, or the system's proxy settings).",
    "degraded": "The connection works but is slow or patchy. Run the speed test, move closer "
    "to the router, or switch between Wi-Fi and mobile data.",
    "timeout": "Nothing answered in time: the connection may be dead or extremely slow. Restart "
    "the router or switch networks.",
}


@dataclass(frozen=True, slots=True)
class Layer:
    """One layer of the diagnosis with its own mark."""

    name: str
    status: Status
    summary: str

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready form."""
        return {"name": self.name, "status": self.status.value, "summary": self.summary}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome, its status and words, and every layer's own result."""

    outcome: str
    status: Status
    summary: str
    advice: str
    layers: tuple[Layer, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Observations:
    """Everything the probes saw."""

    interfaces: Sequence[Interface]
    route: Route | None
    service: Sequence[EndpointResult]
    baseline: Sequence[EndpointResult]
    portal: EndpointResult | None
    proxies: dict[str, str]
    slow_ms: float
    portal_body: str = ""


def portal_state(portal: EndpointResult | None, expected_body: str = "") -> str:
    """``clear``, ``portal`` or ``unknown`` for the captive-portal probe."""
    if portal is None or not portal.answered:
        return "unknown"
    if portal.status == 204:
        return "clear"
    if (
        expected_body
        and portal.status == 200
        and portal.body.strip() == expected_body.encode().strip()
    ):
        return "clear"
    return "portal"


def _answered_ok(endpoint: EndpointResult) -> bool:
    return endpoint.status is not None and endpoint.status < 500 and endpoint.status != 451


def decide(obs: Observations) -> Verdict:
    """The outcome for what was observed."""
    layers: list[Layer] = []
    everything = [*obs.service, *obs.baseline]
    probes = [*everything, *([obs.portal] if obs.portal else [])]
    anything_answered = any(p.answered for p in probes)

    usable = [i for i in obs.interfaces if i.usable]
    if usable:
        kinds = ", ".join(f"{i.name} ({i.kind})" for i in usable)
        route = f"; default route via {obs.route.interface}" if obs.route else ""
        layers.append(Layer("Network", Status.OK, f"connected: {kinds}{route}"))
    else:
        layers.append(Layer("Network", Status.FAILED, "no network interface is up with an address"))

    proxied = [p for p in probes if p.via_proxy]
    proxy_failures = [p for p in proxied if p.error == "proxy"]
    if obs.proxies:
        names = ", ".join(f"{k}={v}" for k, v in sorted(obs.proxies.items()))
        if proxied and len(proxy_failures) == len(proxied):
            layers.append(
                Layer(
                    "Proxy", Status.FAILED, f"set ({names}) but failing: {proxy_failures[0].words}"
                )
            )
            return _verdict(
                "proxy_error",
                Status.FAILED,
                "A proxy is set on this device, but nothing gets through it.",
                layers,
            )
        layers.append(Layer("Proxy", Status.OK, f"in use: {names}"))

    if not usable and not anything_answered:
        return _verdict(
            "no_network", Status.FAILED, "This device is not connected to any network.", layers
        )

    portal = portal_state(obs.portal, obs.portal_body)
    if portal == "portal" and obs.portal is not None:
        how = (
            f"redirected to {obs.portal.location}"
            if obs.portal.location
            else f"answered {obs.portal.status} instead of 204"
        )
        layers.append(
            Layer("Captive portal", Status.FAILED, f"a sign-in page is in the way ({how})")
        )
        return _verdict(
            "captive_portal",
            Status.FAILED,
            "A Wi-Fi sign-in page is in the way: nothing else gets through until you sign in.",
            layers,
        )
    if portal == "clear":
        layers.append(Layer("Captive portal", Status.OK, "none: the probe answered as expected"))
    elif obs.portal is not None:
        layers.append(
            Layer("Captive portal", Status.SKIPPED, f"could not check: {obs.portal.words}")
        )

    named = [p for p in everything if p.dns is not None and not p.dns.literal]
    resolved = [p for p in named if p.dns is not None and p.dns.ok]
    failed_dns = [p for p in named if p.dns is not None and not p.dns.ok]
    service_named = [p for p in obs.service if p.dns is not None and not p.dns.literal]
    service_dns_failed = bool(service_named) and all(p in failed_dns for p in service_named)
    baseline_resolved = any(p in resolved for p in obs.baseline)
    dns_layer = _dns_layer(probes)
    if dns_layer is not None:
        layers.append(dns_layer)
    if named and (not resolved or (service_dns_failed and not baseline_resolved)):
        return _verdict(
            "dns_failure",
            Status.FAILED,
            "This network cannot look up where websites are, so TikTok cannot be found.",
            layers,
        )

    intercepted = [p for p in everything if p.error == "tls_cert"]
    if intercepted:
        layers.append(
            Layer(
                "Secure connection (TLS)",
                Status.FAILED,
                f"{intercepted[0].host}: {intercepted[0].words}",
            )
        )
        return _verdict(
            "tls_intercepted",
            Status.FAILED,
            "Something is intercepting secure connections, so TikTok's cannot be trusted.",
            layers,
        )
    handshakes = [p.tls_ms for p in everything if p.tls_ms is not None]
    if handshakes:
        layers.append(
            Layer(
                "Secure connection (TLS)",
                Status.OK,
                f"{len(handshakes)} handshakes, slowest {max(handshakes):.0f} ms",
            )
        )

    baseline_ok = [p for p in obs.baseline if _answered_ok(p)]
    service_ok = [p for p in obs.service if _answered_ok(p)]
    service_5xx = [p for p in obs.service if p.answered and not _answered_ok(p)]
    if obs.baseline:
        status = Status.OK if baseline_ok else Status.FAILED
        layers.append(
            Layer(
                "Internet (other sites)",
                status,
                f"{len(baseline_ok)} of {len(obs.baseline)} sites answered",
            )
        )

    if not any(p.answered for p in everything):
        errors = [p.error for p in everything if p.error]
        if errors and all(e in TIMEOUT_ERRORS for e in errors):
            return _verdict(
                "timeout",
                Status.ERROR,
                "Nothing answered in time: every connection attempt stalled.",
                layers,
            )
        return _verdict(
            "no_network",
            Status.FAILED,
            "Connected to a network, but nothing on the internet answers.",
            layers,
        )

    if obs.service:
        if not service_ok and not service_5xx:
            first = obs.service[0]
            layers.append(
                Layer("TikTok", Status.FAILED, f"no endpoint answered; {first.host}: {first.words}")
            )
            return _verdict(
                "service_blocked",
                Status.FAILED,
                "Other sites work, but TikTok's servers cannot be reached from this network.",
                layers,
            )
        if not service_ok:
            codes = ", ".join(str(p.status) for p in service_5xx)
            blocked = all(p.status == 451 for p in service_5xx)
            layers.append(Layer("TikTok", Status.FAILED, f"answering with errors ({codes})"))
            if blocked:
                return _verdict(
                    "service_blocked",
                    Status.FAILED,
                    "TikTok answers that it is not available here, for legal reasons.",
                    layers,
                )
            return _verdict(
                "service_down",
                Status.FAILED,
                "TikTok's servers answer, but only with errors: the fault is on their side.",
                layers,
            )
        layers.append(
            Layer(
                "TikTok", Status.OK, f"{len(service_ok)} of {len(obs.service)} endpoints answered"
            )
        )

    slow = [p for p in everything if p.total_ms is not None and p.total_ms > obs.slow_ms]
    partial = [p for p in obs.service if not _answered_ok(p)]
    if slow or partial:
        notes = []
        if slow:
            worst = max(slow, key=lambda p: p.total_ms or 0.0)
            notes.append(
                f"{len(slow)} slow (worst {worst.host}: {worst.total_ms:.0f} ms, "
                f"threshold {obs.slow_ms:.0f} ms)"
            )
        if partial:
            notes.append(f"{len(partial)} of {len(obs.service)} TikTok endpoints did not answer")
        layers.append(Layer("Speed", Status.WARNING, "; ".join(notes)))
        return _verdict(
            "degraded",
            Status.WARNING,
            "The connection works, but it is slow or patchy.",
            layers,
        )
    fastest = [p.total_ms for p in everything if p.total_ms is not None]
    layers.append(
        Layer(
            "Speed", Status.OK, f"slowest answer {max(fastest):.0f} ms" if fastest else "no answers"
        )
    )
    return _verdict(
        "online", Status.OK, "You are online and TikTok's servers answer normally.", layers
    )


def _dns_layer(probes: Sequence[EndpointResult]) -> Layer | None:
    """The name resolution layer, counted over every probe the endpoint table lists."""
    named = [p for p in probes if p.dns is not None and not p.dns.literal]
    if not named:
        return None
    failed = [p for p in named if p.dns is not None and not p.dns.ok]
    literal = len(probes) - len(named)
    given = f"; {literal} given as an address" if literal else ""
    if failed:
        first = failed[0]
        words = f"{len(failed)} of {len(named)} names failed{given}; {first.host}: {first.words}"
        return Layer("Name resolution (DNS)", Status.FAILED, words)
    times = sorted(p.dns.ms or 0.0 for p in named if p.dns is not None)
    median = times[len(times) // 2]
    names = "1 name" if len(named) == 1 else f"{len(named)} names"
    words = f"{names} resolved (median {median:.0f} ms){given}"
    return Layer("Name resolution (DNS)", Status.OK, words)


def _verdict(outcome: str, status: Status, summary: str, layers: list[Layer]) -> Verdict:
    return Verdict(outcome, status, summary, ADVICE[outcome], tuple(layers))

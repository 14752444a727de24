"""One HTTP probe of one endpoint, timed phase by phase, with its failure put in words."""

from __future__ import annotations

import asyncio
import ssl
import time
import urllib.request
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from checks.net.resolve import Resolution, resolve

if TYPE_CHECKING:
    import httpx

BODY_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class EndpointResult:
    """Everything one probe learnt about one URL."""

    url: str
    role: str
    """``service``, ``baseline`` or ``portal``."""
    host: str
    dns: Resolution | None = None
    address: str | None = None
    via_proxy: str | None = None
    connect_ms: float | None = None
    tls_ms: float | None = None
    status: int | None = None
    total_ms: float | None = None
    location: str | None = None
    body: bytes = b""
    error: str | None = None
    """``dns``, ``refused``, ``reset``, ``connect_timeout``, ``no_answer``, ``tls_cert``,
    ``tls_error``, ``proxy``, ``timeout`` or ``failed``; None when it answered."""
    words: str = ""

    @property
    def answered(self) -> bool:
        """True when an HTTP status came back."""
        return self.status is not None


def proxy_for(url: str) -> str | None:
    """The proxy the environment sets for ``url`` (honouring NO_PROXY), if any."""
    parts = urlsplit(url)
    proxies = urllib.request.getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy:
        return None
    host = parts.hostname or ""
    if urllib.request.proxy_bypass(host):
        return None
    return proxy


def _with_address(url: str, address: str) -> str:
    parts = urlsplit(url)
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


def _cause_chain(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        chain.append(current)
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return chain


def classify_error(exc: BaseException, via_proxy: str | None) -> tuple[str, str]:
    """An error kind and a sentence for an exception raised by a probe."""
    import httpx

    chain = _cause_chain(exc)
    text = " ".join(str(e) for e in chain)
    cert = next((e for e in chain if isinstance(e, ssl.SSLCertVerificationError)), None)
    if cert is not None or "CERTIFICATE_VERIFY_FAILED" in text:
        reason = getattr(cert, "verify_message", None) or "the certificate is not trusted"
        return "tls_cert", f"the certificate was refused ({reason}): something may be intercepting"
    if isinstance(exc, httpx.ProxyError):
        return "proxy", f"the proxy {via_proxy or ''} refused or failed the connection".replace(
            "  ", " "
        )
    if isinstance(exc, httpx.ConnectTimeout):
        if via_proxy:
            return "proxy", f"the proxy {via_proxy} did not accept the connection in time"
        return "connect_timeout", "no answer to the connection attempt (it timed out)"
    if isinstance(exc, httpx.ConnectError):
        if via_proxy:
            return "proxy", f"the proxy {via_proxy} could not be reached ({_short(chain)})"
        if any(isinstance(e, ssl.SSLError) for e in chain) or "SSL" in text:
            return "tls_error", f"the secure connection could not be set up ({_short(chain)})"
        if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text.lower():
            return (
                "refused",
                "the connection was refused (nothing is listening, or a firewall said no)",
            )
        if any(isinstance(e, ConnectionResetError) for e in chain) or "reset" in text.lower():
            return (
                "reset",
                "the connection was reset while opening (a firewall or filter may be cutting it)",
            )
        if "unreachable" in text.lower():
            return "refused", "the network is unreachable from here"
        return "failed", f"the connection failed ({_short(chain)})"
    if isinstance(exc, httpx.ReadTimeout | httpx.WriteTimeout | httpx.PoolTimeout | TimeoutError):
        return "no_answer", "connected, but the server never answered"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        if any(isinstance(e, ConnectionResetError) for e in chain) or "reset" in text.lower():
            return "reset", "the connection was reset before an answer came"
        return "reset", "the connection was closed before an answer came"
    return "failed", f"the request failed ({_short(chain)})"


def _short(chain: list[BaseException]) -> str:
    for exc in reversed(chain):
        words = str(exc).strip()
        if words:
            return words[:160]
    return type(chain[0]).__name__


async def probe(
    client: httpx.AsyncClient,
    url: str,
    role: str,
    deadline: float,
    *,
    follow: bool = False,
    read_body: bool = False,
) -> EndpointResult:
    """Resolve, connect, handshake and GET ``url``, all before ``deadline`` (monotonic)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    via_proxy = proxy_for(url)
    result = EndpointResult(url=url, role=role, host=host, via_proxy=via_proxy)
    remaining = deadline - time.monotonic()
    dns = await resolve(host, port, max(0.05, remaining * 0.6))
    result = replace(result, dns=dns)
    if not dns.ok and not via_proxy:
        return replace(result, error="dns", words=dns.words)
    address = dns.addresses[0] if dns.ok else None
    target = url
    extensions: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if address and not via_proxy and not dns.literal:
        # Connect to the address we resolved (timed above) rather than resolving again.
        target = _with_address(url, address)
        headers["Host"] = parts.netloc
        if parts.scheme == "https":
            extensions["sni_hostname"] = host
    marks: dict[str, float] = {}

    async def trace(name: str, info: dict[str, Any]) -> None:
        marks[name] = time.monotonic()

    extensions["trace"] = trace
    started = time.monotonic()
    remaining = max(0.05, deadline - started)
    result = replace(result, address=address)
    try:
        async with asyncio.timeout(remaining):
            async with client.stream(
                "GET",
                target,
                headers=headers,
                extensions=extensions,
                follow_redirects=follow,
                timeout=remaining,
            ) as response:
                body = b""
                if read_body:
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) >= BODY_LIMIT:
                            break
                total = (time.monotonic() - started) * 1000
                return replace(
                    _phases(result, marks),
                    status=response.status_code,
                    total_ms=total,
                    location=response.headers.get("location"),
                    body=body[:BODY_LIMIT],
                )
    except TimeoutError:
        timed = _phases(result, marks)
        connected = timed.connect_ms is not None
        kind = "no_answer" if connected else ("proxy" if via_proxy else "connect_timeout")
        words = {
            "no_answer": "connected, but the server never answered",
            "proxy": f"the proxy {via_proxy} did not answer in time",
            "connect_timeout": "no answer to the connection attempt (it timed out)",
        }[kind]
        return replace(timed, error=kind, words=words)
    except Exception as exc:
        kind, words = classify_error(exc, via_proxy)
        return replace(_phases(result, marks), error=kind, words=words)


def _phases(result: EndpointResult, marks: dict[str, float]) -> EndpointResult:
    """``result`` with the connect and TLS times the trace hook recorded."""

    def span(start: str, end: str) -> float | None:
        if start in marks and end in marks:
            return (marks[end] - marks[start]) * 1000
        return None

    return replace(
        result,
        connect_ms=span("connection.connect_tcp.started", "connection.connect_tcp.complete"),
        tls_ms=span("connection.start_tls.started", "connection.start_tls.complete"),
    )

"""Name resolution with a real deadline.

``getaddrinfo`` cannot be cancelled, and a thread pool's threads are joined when the
interpreter exits, so a resolver that never answers would hold the process open. Each
lookup here runs in its own daemon thread; the caller stops waiting at its deadline.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Resolution:
    """What resolving one host gave: addresses, or an error kind and words."""

    host: str
    addresses: tuple[str, ...] = ()
    ms: float | None = None
    error: str | None = None
    """``nxdomain``, ``timeout``, ``no_resolver``, ``temporary`` or ``failed``."""
    words: str = ""
    literal: bool = False

    @property
    def ok(self) -> bool:
        """True when the host has at least one address."""
        return bool(self.addresses)


def is_ip_literal(host: str) -> bool:
    """True for ``127.0.0.1`` or ``::1``: nothing to resolve."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def resolver_configured(resolv_conf: Path = Path("/etc/resolv.conf")) -> bool | None:
    """Whether a DNS server is configured (None where the platform does not say)."""
    if not resolv_conf.parent.exists() or not Path("/proc").exists():
        return None
    try:
        text = resolv_conf.read_text()
    except OSError:
        return False
    return any(line.split()[:1] == ["nameserver"] for line in text.splitlines())


_ERROR_WORDS = {
    "nxdomain": "the name does not exist (NXDOMAIN)",
    "timeout": "the DNS server did not answer in time",
    "no_resolver": "no DNS server is configured",
    "temporary": "the DNS server could not be reached or did not answer",
    "failed": "name resolution failed",
}


def _classify(exc: socket.gaierror) -> str:
    code = exc.errno
    if code in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)):
        return "nxdomain"
    if code == socket.EAI_AGAIN:
        return "temporary"
    if code == getattr(socket, "EAI_SYSTEM", None) and exc.strerror and "timed out" in exc.strerror:
        return "timeout"
    return "failed"


async def resolve(host: str, port: int, within_s: float) -> Resolution:
    """Resolve ``host`` within ``within_s`` seconds."""
    if is_ip_literal(host):
        return Resolution(host, (host.strip("[]"),), 0.0, literal=True)
    loop = asyncio.get_running_loop()
    future: asyncio.Future[list[str]] = loop.create_future()
    started = time.monotonic()

    def work() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
            loop.call_soon_threadsafe(_set, future, addresses, None)
        except OSError as exc:
            loop.call_soon_threadsafe(_set, future, None, exc)

    threading.Thread(target=work, name=f"resolve-{host}", daemon=True).start()
    try:
        addresses = await asyncio.wait_for(future, within_s)
    except TimeoutError:
        kind = "timeout" if resolver_configured() is not False else "no_resolver"
        return Resolution(host, ms=within_s * 1000, error=kind, words=_ERROR_WORDS[kind])
    except socket.gaierror as exc:
        kind = _classify(exc)
        if kind in ("temporary", "failed") and resolver_configured() is False:
            kind = "no_resolver"
        return Resolution(
            host, ms=(time.monotonic() - started) * 1000, error=kind, words=_ERROR_WORDS[kind]
        )
    except OSError as exc:
        words = f"name resolution failed: {exc.strerror or exc}"
        if exc.errno == errno.ETIMEDOUT:
            return Resolution(
                host, ms=within_s * 1000, error="timeout", words=_ERROR_WORDS["timeout"]
            )
        return Resolution(host, ms=(time.monotonic() - started) * 1000, error="failed", words=words)
    return Resolution(host, tuple(addresses), (time.monotonic() - started) * 1000)


def _set(
    future: asyncio.Future[list[str]], value: list[str] | None, exc: BaseException | None
) -> None:
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(value or [])

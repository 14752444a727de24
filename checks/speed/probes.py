"""Foreign probes: a new connection each, its TCP handshake, TLS handshake and one small
HTTP request timed apart (the host is resolved once, beforehand, so DNS is not timed)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import socket
import ssl
import sys
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from checks.speed.measure import server_timing_ms

PROBE_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class Target:
    """Where foreign probes go: an address resolved once, and the request to send."""

    host: str
    address: str
    port: int
    tls: bool
    request: bytes
    addresses: tuple[str, ...] = ()
    """Every address the host resolved to."""


@dataclass(frozen=True)
class ForeignSample:
    """One foreign probe's three parts, in milliseconds (``tls_ms`` None over plain HTTP)."""

    tcp_ms: float
    tls_ms: float | None
    http_ms: float


async def resolve(url: str) -> Target:
    """The probe target for ``url``, its host resolved (raises OSError when it cannot be)."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    tls = parts.scheme == "https"
    port = parts.port or (443 if tls else 80)
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    address = str(infos[0][4][0])
    path = (parts.path or "/") + "?bytes=0"
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        "User-Agent: wizard-troubleshooter\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    ).encode("ascii")
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
    return Target(host, address, port, tls, request, addresses)


def _tls_context() -> ssl.SSLContext:
    """Trust as httpx has it: ``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` when set, else certifi."""
    return _context_for(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.lru_cache(maxsize=4)
def _context_for(cafile: str | None, capath: str | None) -> ssl.SSLContext:
    if cafile:
        return ssl.create_default_context(cafile=cafile)
    if capath:
        return ssl.create_default_context(capath=capath)
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


async def _read_response(reader: asyncio.StreamReader) -> float:
    """Read one response to the end; the server's own time from ``Server-Timing``."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = lines[0].split(" ", 2)
    if len(status) < 2 or not status[1].isdigit() or int(status[1]) >= 400:
        raise OSError(f"the server answered {lines[0]!r} to a probe")
    length = 0
    timing = None
    for line in lines[1:]:
        key, _, value = line.partition(":")
        if key.strip().lower() == "content-length":
            length = int(value.strip() or 0)
        elif key.strip().lower() == "server-timing":
            timing = value.strip()
    if length:
        await reader.readexactly(length)
    return server_timing_ms(timing)


def kernel_rtt_us(sock: object) -> int | None:
    """The connection's smoothed RTT as the kernel keeps it (Linux ``TCP_INFO``'s
    ``tcpi_rtt``, timed on the acknowledgements of the data it sends), or None."""
    info = _tcp_info(sock)
    if info is None or len(info) < _RTT_OFFSET + 4:
        return None
    value = int.from_bytes(info[_RTT_OFFSET : _RTT_OFFSET + 4], sys.byteorder)
    return value or None


class HandshakeLost(Exception):
    """A foreign probe's handshake needed a retransmission: it timed a loss, not a round
    trip."""


def kernel_retransmits(sock: object) -> int | None:
    """How many segments the kernel has retransmitted on the connection (Linux
    ``TCP_INFO``'s ``tcpi_total_retrans``; a new connection's count is its SYN's), or None."""
    info = _tcp_info(sock)
    if info is None or len(info) < _RETRANS_OFFSET + 4:
        return None
    return int.from_bytes(info[_RETRANS_OFFSET : _RETRANS_OFFSET + 4], sys.byteorder)


def _tcp_info(sock: object) -> bytes | None:
    getsockopt = getattr(sock, "getsockopt", None)
    option = getattr(socket, "TCP_INFO", None)
    if getsockopt is None or option is None:
        return None
    try:
        info = getsockopt(socket.IPPROTO_TCP, option, _TCP_INFO_LEN)
    except OSError:
        return None
    return info if isinstance(info, bytes) else None


def kernel_bytes_acked(sock: object) -> int | None:
    """How many bytes the connection has sent that the peer acknowledged (Linux
    ``TCP_INFO``'s ``tcpi_bytes_acked``), or None where the kernel does not say."""
    info = _tcp_info(sock)
    if info is None or len(info) < _ACKED_OFFSET + 8:
        return None
    return int.from_bytes(info[_ACKED_OFFSET : _ACKED_OFFSET + 8], sys.byteorder)


def kernel_bytes_received(sock: object) -> int | None:
    """How many bytes of data the connection has received (Linux ``TCP_INFO``'s
    ``tcpi_bytes_received``), or None where the kernel does not say."""
    info = _tcp_info(sock)
    if info is None or len(info) < _RECEIVED_OFFSET + 8:
        return None
    return int.from_bytes(info[_RECEIVED_OFFSET : _RECEIVED_OFFSET + 8], sys.byteorder)


def handshake_ms(sock: object, wall_ms: float) -> float:
    """The TCP handshake's round trip as the kernel timed it (on a new connection the
    smoothed RTT is the handshake's one sample), so that a busy client does not add its own
    delay; ``wall_ms`` where the kernel does not say."""
    rtt = kernel_rtt_us(sock)
    return rtt / 1000 if rtt is not None and rtt / 1000 <= wall_ms else wall_ms


def one_exchange_ms(before_us: int | None, after_us: int | None, wall_ms: float) -> float:
    """The round trip of the one request sent between two readings of the kernel's smoothed
    RTT: it moved by an eighth of the new sample's difference (RFC 6298), so the sample is
    ``8 × after − 7 × before``. ``wall_ms`` where that cannot be known or makes no sense."""
    if before_us is None or after_us is None or after_us == before_us:
        return wall_ms
    sample_ms = (8 * after_us - 7 * before_us) / 1000
    return sample_ms if 0 < sample_ms <= wall_ms else wall_ms


_RTT_OFFSET = 68
"""Where ``tcpi_rtt`` sits in Linux's ``struct tcp_info``: eight one-byte fields, then
fifteen 32-bit ones before it."""
_RETRANS_OFFSET = 100
"""Where ``tcpi_total_retrans`` sits: the 24th 32-bit field."""
_ACKED_OFFSET = 120
"""Where ``tcpi_bytes_acked`` sits: after the 64-bit pacing rate and its maximum."""
_RECEIVED_OFFSET = 128
"""Where ``tcpi_bytes_received`` sits: just after ``tcpi_bytes_acked``."""
_TCP_INFO_LEN = _RECEIVED_OFFSET + 8


async def foreign_probe(target: Target) -> ForeignSample:
    """One foreign probe (raises OSError or TimeoutError when it fails, HandshakeLost
    when its SYN had to be sent again: the time then is the retransmission timer's)."""
    async with asyncio.timeout(PROBE_TIMEOUT_S):
        t0 = time.perf_counter()
        reader, writer = await asyncio.open_connection(target.address, target.port)
        try:
            t1 = time.perf_counter()
            sock = writer.get_extra_info("socket")
            if (kernel_retransmits(sock) or 0) > 0:
                raise HandshakeLost
            tcp_ms = handshake_ms(sock, (t1 - t0) * 1000)
            tls_ms = None
            if target.tls:
                await writer.start_tls(_tls_context(), server_hostname=target.host)
                t2 = time.perf_counter()
                ssl_object = writer.get_extra_info("ssl_object")
                trips = 1 if ssl_object is not None and ssl_object.version() == "TLSv1.3" else 2
                tls_ms = (t2 - t1) * 1000 / trips
                t1 = t2
            before = None if target.tls else kernel_rtt_us(writer.get_extra_info("socket"))
            writer.write(target.request)
            await writer.drain()
            server_ms = await _read_response(reader)
            t3 = time.perf_counter()
            after = None if target.tls else kernel_rtt_us(writer.get_extra_info("socket"))
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
    return ForeignSample(
        tcp_ms=tcp_ms,
        tls_ms=tls_ms,
        http_ms=one_exchange_ms(before, after, max(0.0, (t3 - t1) * 1000 - server_ms)),
    )

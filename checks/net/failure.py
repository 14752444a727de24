"""A network failure put in words, whichever library raised it (httpx, urllib, a socket)."""

from __future__ import annotations

import socket
import sys
import urllib.error

from checks.net.probe import _cause_chain, classify_error
from checks.net.resolve import _ERROR_WORDS, _classify

_DNS_TEXT = ("name or service not known", "nodename nor servname", "getaddrinfo failed")


def describe_failure(exc: BaseException, host: str) -> str:
    """What went wrong reaching ``host``, in a short phrase without exception names."""
    chain = _cause_chain(exc)
    for link in chain:
        if isinstance(link, urllib.error.URLError) and isinstance(link.reason, BaseException):
            chain.extend(_cause_chain(link.reason))
    gai = next((e for e in chain if isinstance(e, socket.gaierror)), None)
    if gai is not None or any(t in str(e).lower() for e in chain for t in _DNS_TEXT):
        kind = _classify(gai) if gai is not None else "nxdomain"
        if kind == "nxdomain":
            return f"{host} could not be found (DNS)"
        return f"{host} could not be looked up ({_ERROR_WORDS[kind]}, DNS)"
    httpx = sys.modules.get("httpx")
    if httpx is not None and isinstance(exc, httpx.HTTPStatusError):
        return f"{host} answered {exc.response.status_code} {exc.response.reason_phrase}".strip()
    if httpx is not None and isinstance(exc, httpx.HTTPError):
        return classify_error(exc, None)[1]
    if isinstance(exc, urllib.error.HTTPError):
        return f"{host} answered {exc.code} {exc.reason}".strip()
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "the connection was refused (nothing is listening, or a firewall said no)"
    if any(isinstance(e, ConnectionResetError) for e in chain):
        return "the connection was reset (a firewall or filter may be cutting it)"
    if any(isinstance(e, TimeoutError) for e in chain) or "timed out" in str(exc).lower():
        return f"{host} did not answer in time (timed out)"
    for link in reversed(chain):
        if isinstance(link, OSError) and link.strerror:
            return f"the connection to {host} failed ({link.strerror.lower()})"
    return f"the connection to {host} failed"

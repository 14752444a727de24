"""Who may come in: the token, the Host a request names and the Origin a websocket comes from.

Plain functions on strings, so every rule can be tested without a server.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

COOKIE = "wizard_token"
"""The cookie that carries the token once the first page has been opened."""

TOKEN_BYTES = 32
"""256 random bits: far past guessing, however many requests a visitor sends."""


def new_token() -> str:
    """A fresh random token, safe in a URL and a cookie."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def same_secret(given: str | None, expected: str) -> bool:
    """Whether ``given`` is ``expected``, compared in constant time (a missing one never is)."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server on this computer."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _split_host(host_header: str) -> tuple[str, int | None] | None:
    try:
        parts = urlsplit(f"//{host_header}")
        return (parts.hostname or "", parts.port)
    except ValueError:
        return None


def host_allowed(host_header: str | None, port: int) -> bool:
    """Whether a request's ``Host`` names this server by address.

    Only an IP address or ``localhost``, with our port: a page of some other site whose
    name was pointed at this computer (DNS rebinding) names itself, and is refused.
    """
    if not host_header:
        return False
    split = _split_host(host_header)
    if split is None:
        return False
    name, given_port = split
    if (given_port if given_port is not None else 80) != port:
        return False
    if name == "localhost":
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def origin_matches(origin: str | None, host_header: str | None) -> bool:
    """Whether a websocket's ``Origin`` is the page's own: ``http://`` and the same Host.

    A browser always sends ``Origin`` on a websocket; another site's page sends its own,
    which is how a cross-site websocket hijack is told apart.
    """
    if not origin or not host_header:
        return False
    return origin.lower() == f"http://{host_header}".lower()

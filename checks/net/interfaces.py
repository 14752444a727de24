"""The local layer: network interfaces, their kind, and the default route."""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from pathlib import Path

_KINDS: tuple[tuple[str, str], ...] = (
    (r"^(lo|loopback)", "loopback"),
    (r"^(wl|wlan|wifi|ath|ra\d|wi-?fi|airport)", "wifi"),
    (r"^(wwan|rmnet|ccmni|pdp_ip|usb\d|cdc|ppp\d|wwp)", "cellular"),
    (r"^(tun|tap|utun|wg|ipsec|vpn|nordlynx|tailscale|zt|proton)", "vpn"),
    (r"^(docker|veth|br-|virbr|vmnet|vboxnet|cni|flannel|ifb|dummy|bond|lxc|podman)", "virtual"),
    (r"^(en|eth|em|eno|ens|enp|ethernet)", "ethernet"),
)


def interface_kind(name: str) -> str:
    """Wi-Fi, Ethernet, cellular, VPN, loopback or virtual, guessed from the name."""
    lowered = name.lower()
    for pattern, kind in _KINDS:
        if re.match(pattern, lowered):
            return kind
    if "wi-fi" in lowered or "wireless" in lowered:
        return "wifi"
    return "other"


@dataclass(frozen=True, slots=True)
class Interface:
    """A network interface as the support report describes it."""

    name: str
    kind: str
    up: bool
    addresses: tuple[str, ...]
    mac: str | None
    speed_mbps: int | None

    @property
    def usable(self) -> bool:
        """Up, not loopback or virtual, and with an IP address."""
        return self.up and self.kind not in ("loopback", "virtual") and bool(self.addresses)


def list_interfaces() -> list[Interface]:
    """Every interface psutil can see, with its IPv4/IPv6 addresses."""
    import psutil

    stats = psutil.net_if_stats()
    addrs = psutil.net_if_addrs()
    out: list[Interface] = []
    for name in sorted(set(stats) | set(addrs)):
        entries = addrs.get(name, [])
        ips = tuple(
            a.address.split("%", 1)[0]
            for a in entries
            if a.family in (socket.AF_INET, socket.AF_INET6) and a.address
        )
        mac = next((a.address for a in entries if a.family == psutil.AF_LINK and a.address), None)
        stat = stats.get(name)
        out.append(
            Interface(
                name=name,
                kind=interface_kind(name),
                up=bool(stat and stat.isup),
                addresses=ips,
                mac=mac,
                speed_mbps=(stat.speed or None) if stat else None,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class Route:
    """The default route: through which interface, to which gateway."""

    interface: str
    gateway: str


def default_route(proc_route: Path = Path("/proc/net/route")) -> Route | None:
    """The IPv4 default route where the platform exposes it (Linux), else None."""
    try:
        lines = proc_route.read_text().splitlines()[1:]
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if len(fields) >= 3 and fields[1] == "00000000":
            gateway = socket.inet_ntoa(int(fields[2], 16).to_bytes(4, "little"))
            return Route(fields[0], gateway)
    return None

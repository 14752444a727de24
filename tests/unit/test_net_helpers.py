"""Interface kinds, the default route, and the device facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from checks.api import CheckContext
from checks.device import DeviceCheck, time_zone
from checks.net.interfaces import default_route, interface_kind
from wizard.runner import run_check


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("wlan0", "wifi"),
        ("wlp3s0", "wifi"),
        ("Wi-Fi", "wifi"),
        ("eth0", "ethernet"),
        ("enp0s31f6", "ethernet"),
        ("rmnet_data0", "cellular"),
        ("pdp_ip0", "cellular"),
        ("tun0", "vpn"),
        ("wg0", "vpn"),
        ("utun3", "vpn"),
        ("docker0", "virtual"),
        ("lo", "loopback"),
    ],
)
def test_interface_kinds(name: str, kind: str) -> None:
    assert interface_kind(name) == kind


def test_default_route_from_proc(tmp_path: Path) -> None:
    table = tmp_path / "route"
    table.write_text(
        "Iface\tDestination\tGateway \tFlags\n"
        "eth0\t0000A8C0\t00000000\t0001\n"
        "wlan0\t00000000\t0101A8C0\t0003\n"
    )
    route = default_route(table)
    assert route is not None and (route.interface, route.gateway) == ("wlan0", "192.168.1.1")
    assert default_route(tmp_path / "missing") is None


async def test_device_check_reports_facts_and_thresholds() -> None:
    result = await run_check(DeviceCheck(), CheckContext())
    assert result.outcome == "ok"
    for key in (
        "os",
        "machine",
        "python",
        "cpu_count",
        "memory_available_mb",
        "disk_free_gb",
        "time_zone",
        "utc_offset",
        "interfaces",
    ):
        assert key in result.details
    low = await run_check(DeviceCheck(), CheckContext(config={"low_disk_gb": 1e9}))
    assert low.outcome == "low_disk" and "disk space" in low.summary


def test_time_zone_offset_format() -> None:
    _, offset = time_zone()
    assert len(offset) == 6 and offset[0] in "+-" and offset[3] == ":"

"""``device``: the facts about this computer that a support agent always asks for."""

from __future__ import annotations

import os
import platform
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from checks.api import (
    Check,
    CheckContext,
    CheckResult,
    Metric,
    Setting,
    Status,
    Table,
    run_blocking,
)

GB = 1024**3
MB = 1024**2


def os_name() -> str:
    """The operating system in words, e.g. ``Debian GNU/Linux 12 (bookworm)`` or ``macOS 15.1``."""
    system = platform.system()
    if system == "Linux":
        try:
            info = platform.freedesktop_os_release()
            return info.get("PRETTY_NAME") or f"Linux {platform.release()}"
        except OSError:
            return f"Linux {platform.release()}"
    if system == "Darwin":
        return f"macOS {platform.mac_ver()[0]}"
    if system == "Windows":
        return f"Windows {platform.release()} ({platform.version()})"
    return f"{system} {platform.release()}".strip()


def time_zone() -> tuple[str, str]:
    """The local time zone's name and its UTC offset as ``+01:00``."""
    now = datetime.now().astimezone()
    offset = now.strftime("%z")
    return (now.tzname() or "local", f"{offset[:3]}:{offset[3:]}" if offset else "+00:00")


def collect() -> dict[str, Any]:
    """Every device fact, read synchronously (the check runs it in a thread)."""
    import psutil

    from checks.net.interfaces import list_interfaces

    memory = psutil.virtual_memory()
    home = Path.home()
    disk = psutil.disk_usage(str(home if home.exists() else Path("/")))
    try:
        load = os.getloadavg()
    except (AttributeError, OSError):
        load = None
    battery = None
    try:
        sensors = psutil.sensors_battery()
    except (AttributeError, NotImplementedError, OSError):
        sensors = None
    if sensors is not None:
        battery = {"percent": round(sensors.percent), "plugged_in": bool(sensors.power_plugged)}
    zone, offset = time_zone()
    interfaces = [i for i in list_interfaces() if i.kind != "loopback"]
    return {
        "os": os_name(),
        "kernel": platform.release(),
        "machine": platform.machine(),
        "python": sys.version.split()[0],
        "cpu_count": os.cpu_count() or 1,
        "load_1m": round(load[0], 2) if load else None,
        "memory_total_mb": round(memory.total / MB),
        "memory_available_mb": round(memory.available / MB),
        "disk_free_gb": round(disk.free / GB, 2),
        "disk_total_gb": round(disk.total / GB, 1),
        "battery": battery,
        "time_zone": zone,
        "utc_offset": offset,
        "hostname": platform.node(),
        "interfaces": [
            {
                "name": i.name,
                "kind": i.kind,
                "up": i.up,
                "addresses": list(i.addresses),
                "mac": i.mac,
            }
            for i in interfaces
        ],
    }


class DeviceCheck(Check):
    """Operating system, memory, disk, battery, network interfaces and time zone."""

    id = "device"
    title = "This device"
    description = (
        "Collects the facts about this computer that support needs, and flags low disk or memory."
    )
    outcomes = ("ok", "low_disk", "low_memory")
    settings = (
        Setting(
            "low_disk_gb",
            1.0,
            "Free disk below this many GB gives the outcome low_disk.",
            minimum=0,
        ),
        Setting(
            "low_memory_mb",
            300.0,
            "Available memory below this many MB gives low_memory.",
            minimum=0,
        ),
    )
    timeout_s = 5.0

    async def run(self, context: CheckContext) -> CheckResult:
        facts = await run_blocking(collect)
        low_disk = float(context.setting("low_disk_gb"))
        low_memory = float(context.setting("low_memory_mb"))
        outcome, status = "ok", Status.OK
        summary = (
            f"{facts['os']} on {facts['machine']}; {facts['memory_available_mb']} MB memory "
            f"and {facts['disk_free_gb']:.1f} GB disk free."
        )
        advice = ""
        if facts["disk_free_gb"] < low_disk:
            outcome, status = "low_disk", Status.WARNING
            summary = (
                f"Only {facts['disk_free_gb']:.2f} GB of disk space is free "
                f"(below {low_disk:g} GB)."
            )
            advice = (
                "Free some space: apps misbehave and caches fail to save when the disk is "
                "nearly full."
            )
        elif facts["memory_available_mb"] < low_memory:
            outcome, status = "low_memory", Status.WARNING
            summary = (
                f"Only {facts['memory_available_mb']} MB of memory is available "
                f"(below {low_memory:g} MB)."
            )
            advice = (
                "Close other apps or restart the device: with so little memory, apps are slow "
                "and crash."
            )
        rows = tuple(
            (i["name"], i["kind"], "up" if i["up"] else "down") for i in facts["interfaces"]
        )
        battery = facts["battery"]
        metrics = [
            Metric("memory_available", facts["memory_available_mb"], "MB", "memory available"),
            Metric("disk_free", facts["disk_free_gb"], "GB", "disk free"),
            Metric("cpu_count", facts["cpu_count"], "", "processors"),
        ]
        if facts["load_1m"] is not None:
            metrics.append(Metric("load_1m", facts["load_1m"], "", "load (1 min)"))
        if battery is not None:
            metrics.append(Metric("battery", battery["percent"], "%", "battery"))
        return self.result(
            outcome,
            status,
            summary,
            advice=advice,
            details=facts,
            metrics=tuple(metrics),
            tables=(Table("Network interfaces", ("name", "kind", "state"), rows),),
        )

"""Check plugins for the wizard, and the API they implement (:mod:`checks.api`).

The names of the API are re-exported here on first use, so that importing a light
module of the package (:mod:`checks.setting`) does not import the whole API.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "UNIVERSAL_OUTCOMES",
    "Check",
    "CheckContext",
    "CheckError",
    "CheckResult",
    "Metric",
    "Param",
    "Progress",
    "Setting",
    "Status",
    "Table",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from checks import api

        return getattr(api, name)
    raise AttributeError(f"module 'checks' has no attribute {name!r}")

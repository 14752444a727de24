"""Check plugins for the wizard, and the API they implement (:mod:`checks.api`)."""

from checks.api import (
    UNIVERSAL_OUTCOMES,
    Check,
    CheckContext,
    CheckError,
    CheckResult,
    Metric,
    Param,
    Progress,
    Status,
    Table,
)

__all__ = [
    "UNIVERSAL_OUTCOMES",
    "Check",
    "CheckContext",
    "CheckError",
    "CheckResult",
    "Metric",
    "Param",
    "Progress",
    "Status",
    "Table",
]

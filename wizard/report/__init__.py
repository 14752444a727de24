"""The support report: built from a session, redacted, rendered, exported.

:func:`prepare` is the one call the front ends make: it returns the redacted report
exactly as every format will show it. The package itself imports nothing heavy, so that
listing the formats (:mod:`wizard.report.formats`, for the command line's parser) loads
neither the engine nor the content model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wizard.engine import Session
    from wizard.report.model import Report
    from wizard.report.redact import Redactor

SCHEMA_PATH = Path(__file__).with_name("report.schema.json")


def prepare(
    session: Session,
    *,
    device: Mapping[str, Any] | None = None,
    session_id: str | None = None,
    disabled: Iterable[str] = (),
    extra_words: Iterable[str] = (),
    now: datetime | None = None,
    redactor: Redactor | None = None,
) -> Report:
    """The redacted report for ``session``: what the user sees and what is exported."""
    from wizard.report.model import build_report, other_peoples_handles, shortened
    from wizard.report.redact import Redactor

    report = build_report(
        session, device=device, session_id=session_id, now=now or datetime.now(UTC)
    )
    active = redactor or Redactor.for_this_machine(disabled=disabled, extra_words=extra_words)
    active.handles = [*active.handles, *other_peoples_handles(report)]
    # Redacted whole, then shortened: a cut must not hide half an address from redaction.
    redacted: Report = active.value(report)
    return shortened(redacted)


def __getattr__(name: str) -> Any:
    """``KINDS``, ``Redactor`` and ``Report``, imported when first asked for."""
    if name in ("KINDS", "Redactor"):
        from wizard.report import redact

        return getattr(redact, name)
    if name == "Report":
        from wizard.report.model import Report

        return Report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["KINDS", "SCHEMA_PATH", "Redactor", "Report", "prepare"]

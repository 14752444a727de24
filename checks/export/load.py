"""Reading an export for a check: its size limit setting, off the event loop, refusals in words."""

from __future__ import annotations

from pathlib import Path

from checks.api import CheckContext, CheckError, Setting, run_blocking
from checks.export.model import ExportData, ExportError, ExportTooLarge

MAX_UNPACKED_MB = Setting(
    "max_unpacked_mb",
    128.0,
    "Refuse exports that unpack to more than this many MB.",
    minimum=0,
    above=True,
)
"""The size limit setting of every check that reads an export."""


async def load_export(context: CheckContext, path: str, check_id: str, outcome: str) -> ExportData:
    """Read the export at ``path``; any refusal becomes a :class:`CheckError` of ``outcome``.

    The limit is the check's ``max_unpacked_mb`` setting; a refusal for size names it.
    """
    from checks.export.reader import read_export

    limit = int(float(context.setting("max_unpacked_mb")) * 2**20)
    try:
        return await run_blocking(lambda: read_export(Path(path).expanduser(), limit))
    except ExportTooLarge as exc:
        raise CheckError(
            f"{exc} (raise the setting {check_id}.max_unpacked_mb if it really is one)",
            outcome=outcome,
        ) from None
    except ExportError as exc:
        raise CheckError(str(exc), outcome=outcome) from None
    except MemoryError:
        raise CheckError(f"{path} is too large to read on this device", outcome=outcome) from None

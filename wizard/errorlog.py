"""The errors log: the traceback of an unexpected failure, kept in the data folder.

What a person sees is said in words; the exception itself goes here, for support.
"""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path

LOG_NAME = "errors.log"


def write_log(folder: Path, error: BaseException, at: str | None = None) -> Path | None:
    """Append ``error``'s traceback to the log in ``folder``; its path, or None if unwritable.

    ``at`` is the time of the failure (ISO 8601); now, when not given.
    """
    path = folder / LOG_NAME
    text = "".join(traceback.format_exception(error))
    when = at or datetime.now(UTC).isoformat(timespec="seconds")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"== {when} ==\n{text}\n")
    except OSError:
        return None
    return path

"""What the app keeps of an unexpected failure: the traceback, in a log in the data folder."""

from __future__ import annotations

import traceback
from pathlib import Path

LOG_NAME = "errors.log"


def write_log(folder: Path, error: BaseException, at: str) -> Path | None:
    """Append ``error``'s traceback to the log in ``folder``; its path, or None if unwritable."""
    path = folder / LOG_NAME
    text = "".join(traceback.format_exception(error))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"== {at} ==\n{text}\n")
    except OSError:
        return None
    return path


def what_happened(error: BaseException) -> str:
    """One line naming the failure, for a person (the traceback is in the log)."""
    words = str(error).strip().splitlines()
    return f"{type(error).__name__}: {words[0]}" if words else type(error).__name__

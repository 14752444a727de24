"""What the app keeps of an unexpected failure (the traceback, in the errors log) and says."""

from __future__ import annotations

from wizard.errorlog import LOG_NAME, write_log

__all__ = ["LOG_NAME", "what_happened", "write_log"]


def what_happened(error: BaseException) -> str:
    """One line naming the failure, for a person (the traceback is in the log)."""
    words = str(error).strip().splitlines()
    return f"{type(error).__name__}: {words[0]}" if words else type(error).__name__


LONGEST_NAME = 100
"""Characters of a file name said in full; a longer one keeps its start and end."""


def in_words(error: BaseException) -> str:
    """What went wrong, for a person: the file and the reason, never an exception's name.

    A file the system refused is named with the system's reason; anything else is
    unexpected, and only the errors log has its details.
    """
    if isinstance(error, OSError):
        reason = (error.strerror or "").strip().lower() or "the system refused"
        if error.filename is not None:
            return f"reading {_short(str(error.filename))} failed: {reason}"
        return f"reading a file failed: {reason}"
    return "something unexpected went wrong inside the wizard"


def _short(name: str) -> str:
    """``name``, its middle left out when it is too long to read on one line."""
    if len(name) <= LONGEST_NAME:
        return name
    keep = LONGEST_NAME // 2 - 1
    return f"{name[:keep]}…{name[-keep:]}"

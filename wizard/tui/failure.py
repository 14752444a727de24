"""What the app keeps of an unexpected failure (the traceback, in the errors log) and says."""

from __future__ import annotations

from wizard.errorlog import LOG_NAME, write_log

__all__ = ["LOG_NAME", "what_happened", "write_log"]


def what_happened(error: BaseException) -> str:
    """One line naming the failure, for a person (the traceback is in the log)."""
    words = str(error).strip().splitlines()
    return f"{type(error).__name__}: {words[0]}" if words else type(error).__name__

"""The ``wizard`` command's exit codes: the one list, which the README's table and the
``--help`` epilog repeat (a test walks every row)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3
EXIT_CHECK_FAILED = 4
EXIT_IO = 5
EXIT_FAULT = 70
"""An unexpected error: a fault in wizard itself, its traceback kept in the errors log."""
EXIT_INTERRUPTED = 130

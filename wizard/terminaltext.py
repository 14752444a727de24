"""Text from content or an export, made safe to show in a terminal.

A guide title or a follower's name is data, not a command to the terminal: an escape
sequence in it could set the window title, clear the screen or move the cursor. Every
front end shows such text through :func:`escape_controls`.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, the C1 controls, and the bidirectional overrides
# and isolates that reorder how the rest of a line reads.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with every terminal control character written out as ``\\xNN`` (or ``\\uNNNN``).

    Tabs and newlines are kept; everything else that a terminal would act on rather than
    show is replaced by its visible escape, so nothing is silently dropped either.
    """
    return _CONTROL.sub(_escaped, text)


def escape_controls_json(text: str) -> str:
    """JSON text with every terminal control character as a ``\\uNNNN`` escape.

    ``json.dumps(..., ensure_ascii=False)`` already escapes C0 controls in strings but
    leaves C1 controls and bidirectional overrides as they are. Outside strings JSON holds
    only ASCII punctuation, spaces and newlines, so the result is the same JSON value.
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

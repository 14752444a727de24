"""Control characters in shown text are written out, never sent to the terminal."""

from __future__ import annotations

import pytest

from wizard.terminaltext import escape_controls


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain words", "plain words"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("\x1b]0;owned\x07\x1b[2J", "\\x1b]0;owned\\x07\\x1b[2J"),
        ("carriage\rreturn", "carriage\\x0dreturn"),
        ("del\x7f c1\x9b", "del\\x7f c1\\x9b"),
        ("bidi \u202eevil\u2069", "bidi \\u202eevil\\u2069"),
        ("émoji 🎵 and ünïcode", "émoji 🎵 and ünïcode"),
    ],
)
def test_controls_are_escaped_and_the_rest_kept(raw: str, shown: str) -> None:
    assert escape_controls(raw) == shown


def test_no_escape_sequence_survives() -> None:
    text = escape_controls("".join(chr(c) for c in range(0x100)))
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text

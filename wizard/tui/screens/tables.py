"""Tables that fit the terminal: columns as wide as their words, the last one wrapping."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from wizard.tui.shown import cell

if TYPE_CHECKING:
    from textual.widgets import DataTable

LEAST_LAST = 20
"""The last column is never narrower than this (the table scrolls sideways then)."""


def fill(
    table: DataTable[Text],
    headers: Sequence[str],
    rows: Iterable[tuple[Sequence[str | Text], str | None]],
    room: int,
    widest: int = 26,
) -> None:
    """Add ``headers`` and ``rows`` (cells, row key) to ``table`` within ``room`` columns.

    Every column but the last is as wide as its widest line, up to ``widest``; the last
    takes the room left, less the table's own scroll bar (shown when the table is taller
    than the screen). Longer text wraps onto more lines of its row instead of being cut.
    """
    listed = [([c if isinstance(c, Text) else cell(c) for c in cells], key) for cells, key in rows]
    widths = []
    for column, header in enumerate(headers[:-1]):
        lines = [line for cells, _ in listed for line in cells[column].plain.splitlines()]
        widths.append(min(widest, max(cell_len(s) for s in [header, *lines])))
    padding = 2 * table.cell_padding * len(headers)
    scroll_bar = table.styles.scrollbar_size_vertical
    widths.append(max(LEAST_LAST, room - sum(widths) - padding - scroll_bar))
    for header, width in zip(headers, widths, strict=True):
        table.add_column(cell(header), width=width)
    for cells, key in listed:
        table.add_row(*cells, key=key, height=None)


def with_numbers(summary: str, numbers: str) -> Text:
    """What a check found, and its numbers dimmed on a line of their own (if any)."""
    text = cell(summary)
    if numbers:
        text.append("\n")
        text.append_text(cell(numbers).copy())
        text.stylize("dim", len(text) - len(numbers))
    return text

"""Helpers shared by the CLI commands: errors, the workspace, output marks."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.config import load_config
from wizard.workspace import Workspace

if TYPE_CHECKING:
    from checks.api import Status

# Keyed by each Status's value (a Status is a str), so that starting the app through
# workspace_from does not import the check API.
MARKS: dict[str, str] = {
    "ok": "✓",
    "warning": "!",
    "failed": "✗",
    "error": "✗",
    "skipped": "–",
}


MAX_LISTED = 50
"""How many errors (or matches) a command lists before it only counts the rest."""


def capped(items: Sequence[object], prefix: str = "", limit: int = MAX_LISTED) -> str:
    """The first ``limit`` items, one a line after ``prefix``, then how many more there are."""
    lines = [f"{prefix}{item}" for item in items[:limit]]
    if len(items) > limit:
        lines.append(f"{prefix}… and {len(items) - limit:,} more")
    return "\n".join(lines)


def aligned(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """``header`` and ``rows`` as lines of columns, each as wide as its widest cell."""
    table = [list(header), *([str(cell) for cell in row] for row in rows)]
    widths = [max(len(row[i]) if i < len(row) else 0 for row in table) for i in range(len(header))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)).rstrip() for row in table
    ]


class CliError(Exception):
    """A failure to report in one line, with the exit code to use."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def workspace_from(args: argparse.Namespace) -> Workspace:
    """The workspace described by the common options."""
    config = load_config(
        config_file=getattr(args, "config", None),
        sets=getattr(args, "sets", None) or [],
        data_dir=getattr(args, "data_dir", None),
    )
    content = [Path(p).expanduser() for p in (getattr(args, "content", None) or [])]
    return Workspace(config=config, content_paths=content)


def parse_pairs(items: Iterable[str], flag: str) -> list[tuple[str, str]]:
    """``["a=1", "b=2"]`` as pairs; a CliError names the flag when one has no ``=``."""
    pairs: list[tuple[str, str]] = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CliError(f"{flag} {item!r}: expected NAME=VALUE")
        pairs.append((key.strip(), value))
    return pairs


def print_json(data: Any) -> None:
    """Pretty JSON on standard output, with control characters as JSON escapes."""
    from wizard.cli.output import write_verbatim
    from wizard.terminaltext import escape_controls_json

    text = json.dumps(data, indent=2, ensure_ascii=False)
    write_verbatim(sys.stdout, escape_controls_json(text) + "\n")


def supports_unicode() -> bool:
    """Whether standard output can show the check marks."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower()
    return "utf" in encoding


def mark(status: Status) -> str:
    """The mark for a status, in ASCII when the terminal cannot show Unicode."""
    if supports_unicode():
        return MARKS[status]
    return {"✓": "ok", "✗": "x", "!": "!", "–": "-"}[MARKS[status]]

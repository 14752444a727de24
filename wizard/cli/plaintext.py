"""A guide's Markdown as plain terminal text: no ``**``, wrapped, controls escaped.

Guides use a small part of Markdown (paragraphs, lists, emphasis, code, links, headings,
quotes). This shows that part the way a person reads it, without importing a Markdown
library for every headless command.
"""

from __future__ import annotations

import re
import textwrap

from wizard.terminaltext import escape_controls

_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)"
)
_CODE = re.compile(r"`([^`]+)`")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^(\s*)(\d+[.)])\s+(.*)$")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")


def inline(text: str) -> str:
    """One line of Markdown without its marks: emphasis and code dropped, links spelled out."""

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        return label if not url or url == label else f"{label} ({url})"

    # Code first, so that marks inside it stay as written.
    parts = _CODE.split(text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(part)
            continue
        part = _LINK.sub(link, part)
        part = _STRONG.sub(r"\2", part)
        part = _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), part)
        out.append(part.replace("\\*", "*").replace("\\_", "_"))
    return "".join(out)


def render(text: str, width: int = 80, indent: str = "") -> list[str]:
    """``text`` (Markdown) as lines of at most ``width`` characters, each after ``indent``."""
    lines: list[str] = []
    room = max(20, width - len(indent))
    # The block being read: its first-line and next-line prefixes, and its words so far.
    block: list[str] = []
    prefixes = ("", "")

    def flush() -> None:
        if block:
            first, rest = prefixes
            wrapped = textwrap.wrap(
                inline(" ".join(block)),
                room,
                initial_indent=first,
                subsequent_indent=rest,
                break_on_hyphens=False,
            )
            lines.extend(indent + line for line in wrapped or [first.rstrip()])
            block.clear()

    def start(first: str, rest: str, words: str) -> None:
        nonlocal prefixes
        flush()
        prefixes = (first, rest)
        block.append(words)

    fenced = False
    for raw in escape_controls(text).splitlines():
        line = raw.rstrip()
        if line.lstrip().startswith(("```", "~~~")):
            flush()
            fenced = not fenced
            continue
        if fenced:
            lines.append(indent + "    " + line)
            continue
        if not line.strip():
            flush()
            if lines and lines[-1]:
                lines.append("")
            continue
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        numbered = _NUMBERED.match(line)
        if heading:
            start("", "", heading.group(1))
            flush()
        elif bullet:
            depth = "  " * (len(bullet.group(1)) // 2)
            start(f"{depth}• ", f"{depth}  ", bullet.group(2))
        elif numbered:
            depth = "  " * (len(numbered.group(1)) // 2)
            mark = numbered.group(2)
            start(f"{depth}{mark} ", depth + " " * (len(mark) + 1), numbered.group(3))
        elif line.lstrip().startswith(">"):
            start("│ ", "│ ", line.lstrip()[1:].strip())
        elif block:
            block.append(line.strip())
        else:
            start("", "", line.strip())
    flush()
    while lines and not lines[-1]:
        lines.pop()
    return lines

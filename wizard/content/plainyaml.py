"""A fast reader for the plain subset of YAML that content files are written in.

Reading YAML through PyYAML's event stream costs about 2 µs per event before we build a
single value, which puts a large guide well past its load budget. Content files use a
small, regular part of YAML: block mappings and sequences, plain and simply quoted
scalars, literal block text (``|``) and one-line flow collections. This module reads
exactly that part, line by line, and gives up (returns None) on anything else: anchors,
tags, folded text, multi-line plain or quoted scalars, duplicate keys, and every syntax
error. The caller then reads the file with the full event-based reader in
:mod:`wizard.content.source`, which is also what reports every error.

Giving up is always safe; accepting must give exactly what the full reader gives, data
and line numbers alike. The tests hold the two readers to that on every content file,
every fixture and a large set of generated and mutated documents.
"""

from __future__ import annotations

import re
from typing import Any

Key = str | int
PathKey = tuple[Key, ...]
Scalar = Any


class _GiveUp(Exception):
    """The text uses YAML outside the plain subset (or is not valid YAML)."""


_ROW = re.compile(
    r"^( *)(-(?: +|$))?(?:([A-Za-z0-9_][A-Za-z0-9_./-]*):(?: +|$))?(.*)$", re.MULTILINE
)
"""A row cut into indent, ``-`` with its spaces, key, and the rest (with any comment)."""
_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_./-]*):(?: +(.*))?$")
_SIMPLE_PAIR_TEXT = r" *[A-Za-z0-9_][A-Za-z0-9_./-]*: +(?:[^-,:\[\]{}#?\"'&*!|>%@` ][^,:]*)?"
_SIMPLE_PAIRS = re.compile(f"{_SIMPLE_PAIR_TEXT}(?:,{_SIMPLE_PAIR_TEXT})*")
"""The inside of a flow mapping of plain keys and plain values, as a whole."""
_SIMPLE_PAIR = re.compile(r" *([A-Za-z0-9_][A-Za-z0-9_./-]*): +([^,]*?) *(?:,|$)")
"""One of its key-value pairs, with the spaces around the value cut off."""
_FLOW_NOT_SIMPLE = re.compile(r"[\[\]{}#?\"'&*!|>%@`]")
"""Flow text that needs the careful reading: quotes, nesting, comments or indicators."""
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +#.*)? *$')
_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: +#.*)? *$")
_BLOCK_HEADER = re.compile(r"\|(-?)(?: +#.*)? *$")
_FLOW_VALUE = r"""(?:"([^"\\]*)"|'((?:[^']|'')*)'|([^-,\[\]{}#:?"'&*!|>%@` ][^,\[\]{}#:?]*?))"""
_FLOW_PAIR = re.compile(r" *([A-Za-z0-9_][A-Za-z0-9_./-]*): +" + _FLOW_VALUE + "? *(?=,|$)")
_FLOW_ITEM = re.compile(" *" + _FLOW_VALUE + " *(?=,|$)")
_ALLOWED_BYTES = b"\n" + bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100))
_REFUSED_UTF8 = re.compile(
    rb"\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]|\xef\xbb\xbf|\xef\xbf[\xbe\xbf]|\xed[\xa0-\xbf]"
)
"""C1 controls (NEL among them), the line and paragraph separators, byte-order marks,
the two non-characters and lone surrogates, as UTF-8."""


def _printable(text: str) -> bool:
    """Whether ``text`` is free of tabs, other line breaks than LF, a byte-order mark, and
    every character YAML forbids; anything else is the full reader's to judge."""
    data = text.encode("utf-8", "surrogatepass")
    if data.translate(None, _ALLOWED_BYTES):
        return False
    return text.isascii() or _REFUSED_UTF8.search(data) is None


_PLAIN_START_REFUSED = frozenset("[]{},#&*!|>'\"%@`?:-")


def read_plain(
    text: str,
    max_depth: int,
    max_values: int,
    line_depth: int = 2,
) -> tuple[Any, dict[PathKey, int]] | None:
    """The data of ``text`` and the lines of its values, or None to use the full reader.

    Lines are kept for key paths up to ``line_depth`` long (``nodes.<id>`` by default):
    what a loaded guide needs. Deeper lines matter only for errors, and the full reader
    finds those when asked. Values nested deeper than ``max_depth``, or more than
    ``max_values`` in all, also give None, so that the full reader reports them.
    """
    if not _printable(text):
        return None
    try:
        data, lines, count = _read(text, max_depth, line_depth)
    except _GiveUp:
        return None
    return (data, lines) if count <= max_values else None


class _Frame:
    """An open block collection: where it stands and what it holds so far."""

    __slots__ = ("column", "is_mapping", "items", "path")

    def __init__(
        self, column: int, items: Any, path: PathKey | None, is_mapping: bool, line_depth: int
    ) -> None:
        self.column = column
        self.items = items
        self.path = path if path is not None and len(path) < line_depth else None
        """The collection's path when the lines of its values are kept, else None."""
        self.is_mapping = is_mapping


def _read(text: str, max_depth: int, line_depth: int) -> tuple[Any, dict[PathKey, int], int]:
    """Data, lines and the number of values; one pass over the rows with a stack of frames.

    Each row is first cut by one regular expression into indent, ``-``, key and the rest.
    A key or ``-`` with nothing after it leaves its value *pending*: the next row either
    opens a collection as that value or, for a key, leaves it null.
    """
    rows = text.split("\n")
    cut = _ROW.findall(text)
    if len(cut) != len(rows):
        raise _GiveUp
    lines: dict[PathKey, int] = {}
    stack: list[_Frame] = []
    frame: _Frame | None = None
    root: Any = None
    count = 0
    pending: tuple[int, PathKey | None, Any, Key, bool] | None = None
    total = len(rows)
    at = _skip_document_start(rows)
    while at < total:
        indent, dash, key, rest = cut[at]
        at += 1
        if not dash and not key:
            if not rest or rest[0] == "#":
                continue
            raise _GiveUp
        column = len(indent)
        if (
            pending is not None
            or frame is None
            or frame.column != column
            or not frame.is_mapping
            or dash
        ):
            frame = _enter(stack, pending, column, bool(dash), at, lines, max_depth, line_depth)
            pending = None
            if root is None:
                root = frame.items
                lines[()] = at
                count += 1
            if dash:
                # An item of a sequence: a value, a pending one, or a compact mapping.
                items = frame.items
                path = None if frame.path is None else (*frame.path, len(items))
                count += 1
                if not key:
                    if not rest or rest[0] == "#":
                        pending = (column, path, items, len(items), False)
                        items.append(None)
                        continue
                    if path is not None:
                        lines[path] = at
                    value, at = _value(rest, rows, at, column, path, lines, line_depth)
                    items.append(value)
                    if type(value) is dict or type(value) is list:
                        count += len(value)
                    continue
                if path is not None:
                    lines[path] = at
                if len(stack) >= max_depth:
                    raise _GiveUp
                frame = _Frame(column + len(dash), {}, path, True, line_depth)
                items.append(frame.items)
                stack.append(frame)
        mapping = frame.items
        if key in mapping:
            raise _GiveUp
        if frame.path is None:
            path = None
        else:
            path = (*frame.path, key)
            lines[path] = at
        count += 1
        if not rest or rest[0] == "#":
            mapping[key] = None
            pending = (frame.column, path, mapping, key, True)
            continue
        value, at = _value(rest, rows, at, frame.column, path, lines, line_depth)
        mapping[key] = value
        if type(value) is dict or type(value) is list:
            count += len(value)
    if pending is not None and not pending[4]:
        raise _GiveUp
    if not stack:
        raise _GiveUp
    return root, lines, count


def _enter(
    stack: list[_Frame],
    pending: tuple[int, PathKey | None, Any, Key, bool] | None,
    column: int,
    dash: bool,
    at: int,
    lines: dict[PathKey, int],
    max_depth: int,
    line_depth: int,
) -> _Frame:
    """The frame a row at ``column`` belongs to: opened for a pending value, or found.

    Frames deeper than the row are closed on the way.
    """
    if pending is not None:
        parent_column, path, holder, slot, in_mapping = pending
        if column > parent_column or (in_mapping and dash and column == parent_column):
            if len(stack) >= max_depth:
                raise _GiveUp
            if not in_mapping and path is not None:
                lines[path] = at
            frame = _Frame(column, [] if dash else {}, path, not dash, line_depth)
            holder[slot] = frame.items
            stack.append(frame)
            return frame
        if not in_mapping:
            raise _GiveUp
    if not stack:
        if column or lines:
            raise _GiveUp
        frame = _Frame(0, [] if dash else {}, (), not dash, line_depth)
        stack.append(frame)
        return frame
    frame = stack[-1]
    while frame.column > column:
        frame = _close(stack)
    if not frame.is_mapping and not dash and frame.column == column:
        # A sequence written at its key's own indent ends at the next key.
        frame = _close(stack)
    if frame.column != column or (frame.is_mapping and dash):
        raise _GiveUp
    return frame


def _close(stack: list[_Frame]) -> _Frame:
    """Close the innermost collection; the one around it (there must be one)."""
    stack.pop()
    if not stack:
        raise _GiveUp
    return stack[-1]


def _skip_document_start(rows: list[str]) -> int:
    """Index of the first row after leading comments and an optional ``---`` line."""
    for at, row in enumerate(rows):
        content = row.lstrip(" ")
        if not content or content[0] == "#":
            continue
        if row == "---" or row.startswith("--- #"):
            return at + 1
        return at
    return len(rows)


def _value(
    rest: str,
    rows: list[str],
    at: int,
    column: int,
    path: PathKey | None,
    lines: dict[PathKey, int],
    line_depth: int,
) -> tuple[Any, int]:
    """The value written after ``key:`` or ``-`` on row ``at - 1``, and the next row."""
    parent = path if path is not None and len(path) < line_depth else None
    """The path of the value, when the lines of its items are kept."""
    first = rest[0]
    if first == "|":
        return _literal(rest, rows, at, column)
    if first == "{":
        return _flow_mapping(rest, parent, at, lines), at
    if first == "[":
        return _flow_sequence(rest, parent, at, lines), at
    if first == '"':
        match = _DOUBLE.match(rest)
        if match is None:
            raise _GiveUp
        return match.group(1), at
    if first == "'":
        match = _SINGLE.match(rest)
        if match is None:
            raise _GiveUp
        return match.group(1).replace("''", "'"), at
    if first in _PLAIN_START_REFUSED:
        raise _GiveUp
    comment = rest.find(" #")
    if comment >= 0:
        rest = rest[:comment]
    rest = rest.rstrip(" ")
    if ": " in rest or rest[-1] == ":":
        raise _GiveUp
    return (resolve_plain(rest) if first in _MAY_NOT_BE_TEXT else rest), at


def _literal(header: str, rows: list[str], start: int, column: int) -> tuple[str, int]:
    """A ``|`` or ``|-`` block whose text starts at row ``start``; the text and next row."""
    match = _BLOCK_HEADER.match(header)
    if match is None:
        raise _GiveUp
    total = len(rows)
    at = start
    width = 0
    while at < total:
        row = rows[at]
        content = row.lstrip(" ")
        if content:
            width = len(row) - len(content)
            break
        at += 1
    if width <= column or any(len(rows[i]) > width for i in range(start, at)):
        raise _GiveUp
    body = [""] * (at - start)
    last = at
    margin = " " * width
    while at < total:
        row = rows[at]
        if row.startswith(margin):
            body.append(row[width:])
            last = at
        elif row.strip(" "):
            break
        else:
            body.append("")
        at += 1
    if last == total - 1:
        raise _GiveUp
    del body[last - start + 1 :]
    return "\n".join(body) + ("" if match.group(1) == "-" else "\n"), last + 1


def _flow_mapping(
    text: str,
    parent: PathKey | None,
    at: int,
    lines: dict[PathKey, int],
) -> dict[str, Any]:
    """A one-line ``{key: value, ...}``; lines are kept under ``parent`` if given."""
    mapping: dict[str, Any] = {}
    inner = _flow_inner(text, "}")
    if not inner.strip(" "):
        return mapping
    if _FLOW_NOT_SIMPLE.search(inner) is None:
        if _SIMPLE_PAIRS.fullmatch(inner) is None:
            raise _GiveUp
        pairs = _SIMPLE_PAIR.findall(inner)
        mapping = {
            key: (resolve_plain(value) if value[0] in _MAY_NOT_BE_TEXT else value)
            if value
            else None
            for key, value in pairs
        }
        if len(mapping) != len(pairs):
            raise _GiveUp
    else:
        for match in _flow_items(inner, _FLOW_PAIR):
            key = match.group(1)
            if key in mapping:
                raise _GiveUp
            mapping[key] = _flow_value(match, 2)
    if parent is not None:
        for key in mapping:
            lines[(*parent, key)] = at
    return mapping


def _flow_sequence(
    text: str,
    parent: PathKey | None,
    at: int,
    lines: dict[PathKey, int],
) -> list[Any]:
    """A one-line ``[item, ...]``; lines are kept under ``parent`` if given."""
    inner = _flow_inner(text, "]")
    if not inner.strip(" "):
        return []
    items: list[Any] = []
    if _FLOW_NOT_SIMPLE.search(inner) is None:
        for part in inner.split(","):
            value = part.strip(" ")
            if not value or value[0] in _PLAIN_START_REFUSED or ":" in value:
                raise _GiveUp
            items.append(resolve_plain(value))
    else:
        items = [_flow_value(match, 1) for match in _flow_items(inner, _FLOW_ITEM)]
    if parent is not None:
        for index in range(len(items)):
            lines[(*parent, index)] = at
    return items


def _flow_inner(text: str, closing: str) -> str:
    """What stands between the brackets of a one-line flow collection."""
    text = text.rstrip(" ")
    if text[-1] != closing:
        raise _GiveUp
    return text[1:-1]


def _flow_items(inner: str, item: re.Pattern[str]) -> list[re.Match[str]]:
    """The items of a flow collection's ``inner`` text, each matched by ``item``."""
    found = []
    at = 0
    end = len(inner)
    while True:
        match = item.match(inner, at)
        if match is None:
            raise _GiveUp
        found.append(match)
        at = match.end()
        if at == end:
            return found
        if inner[at] != "," or at + 1 == end:
            raise _GiveUp
        at += 1


def _flow_value(match: re.Match[str], group: int) -> Any:
    double, single, plain = match.group(group, group + 1, group + 2)
    if double is not None:
        return double
    if single is not None:
        return single.replace("''", "'")
    return None if plain is None else resolve_plain(plain)


_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_MAY_NOT_BE_TEXT = frozenset("~nNtTfF0123456789+-.")
"""First characters of the plain scalars that resolve to something other than text."""


def resolve_plain(value: str) -> Any:
    """The value of a plain (unquoted) scalar, as YAML 1.2's core schema reads it.

    Null, booleans (``true``/``false`` only: no yes/no), integers, floats, else text.
    """
    if value and value[0] not in _MAY_NOT_BE_TEXT:
        return value
    lowered = value.lower()
    if lowered in ("", "~", "null"):
        return None
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    if _INT.match(value):
        return int(value.replace("_", ""))
    if _FLOAT.match(value) and any(ch.isdigit() for ch in value):
        return float(value.replace("_", ""))
    return value

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
from collections.abc import Callable
from typing import Any

Key = str | int
PathKey = tuple[Key, ...]
Scalar = Any


class _GiveUp(Exception):
    """The text uses YAML outside the plain subset (or is not valid YAML)."""


_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_./-]*):(?: +(.*))?$")
_KEY_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*$")
_FLOW_NOT_SIMPLE = re.compile(r"[\[\]{}#?\"'&*!|>%@`]")
"""Flow text that needs the careful reading: quotes, nesting, comments or indicators."""
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +#.*)? *$')
_SINGLE = re.compile(r"'((?:[^']|'')*)'(?: +#.*)? *$")
_BLOCK_HEADER = re.compile(r"\|(-?)(?: +#.*)? *$")
_FLOW_VALUE = r"""(?:"([^"\\]*)"|'((?:[^']|'')*)'|([^-,\[\]{}#:?"'&*!|>%@` ][^,\[\]{}#:?]*?))"""
_FLOW_PAIR = re.compile(r" *([A-Za-z0-9_][A-Za-z0-9_./-]*): +" + _FLOW_VALUE + "? *(?=,|$)")
_FLOW_ITEM = re.compile(" *" + _FLOW_VALUE + " *(?=,|$)")
_REFUSED_TEXT = re.compile(
    "[\t\r\x85\u2028\u2029\ufeff]|[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
"""Tabs, other line breaks, a byte-order mark and characters YAML forbids: give up."""
_PLAIN_START_REFUSED = frozenset("[]{},#&*!|>'\"%@`?:-")


def read_plain(
    text: str,
    resolve: Callable[[str], Any],
    max_depth: int,
    max_values: int,
    line_depth: int = 2,
) -> tuple[Any, dict[PathKey, int]] | None:
    """The data of ``text`` and the lines of its values, or None to use the full reader.

    Lines are kept for key paths up to ``line_depth`` long (``nodes.<id>`` by default):
    what a loaded guide needs. Deeper lines matter only for errors, and the full reader
    finds those when asked. ``resolve`` turns a plain scalar into its value the way the
    full reader does. Values nested deeper than ``max_depth``, or more than
    ``max_values`` in all, also give None, so that the full reader reports them.
    """
    if _REFUSED_TEXT.search(text):
        return None
    try:
        data, lines, count = _read(text.split("\n"), resolve, max_depth, line_depth)
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


def _read(
    rows: list[str], resolve: Callable[[str], Any], max_depth: int, line_depth: int
) -> tuple[Any, dict[PathKey, int], int]:
    """Data, lines and the number of values; one pass over the rows with a stack of frames.

    A key or ``-`` with nothing after it leaves its value *pending*: the next row either
    opens a collection as that value or, for a key, leaves it null.
    """
    lines: dict[PathKey, int] = {}
    stack: list[_Frame] = []
    root: Any = None
    count = 0
    pending: tuple[int, PathKey | None, Any, Key, bool] | None = None
    total = len(rows)
    at = _skip_document_start(rows)
    while at < total:
        row = rows[at]
        at += 1
        content = row.lstrip(" ")
        if not content or content[0] == "#":
            continue
        column = len(row) - len(content)
        dash = content[0] == "-" and (len(content) == 1 or content[1] == " ")
        if pending is not None:
            parent_column, path, holder, slot, in_mapping = pending
            pending = None
            if column > parent_column or (in_mapping and dash and column == parent_column):
                if len(stack) >= max_depth:
                    raise _GiveUp
                if not in_mapping and path is not None:
                    lines[path] = at
                frame = _Frame(column, [] if dash else {}, path, not dash, line_depth)
                holder[slot] = frame.items
                stack.append(frame)
            elif not in_mapping:
                raise _GiveUp
        if not stack:
            if root is not None or column:
                raise _GiveUp
            frame = _Frame(0, [] if dash else {}, (), not dash, line_depth)
            root = frame.items
            lines[()] = at
            stack.append(frame)
            count += 1
        else:
            frame = stack[-1]
            while frame.column > column:
                stack.pop()
                if not stack:
                    raise _GiveUp
                frame = stack[-1]
            if frame.column != column:
                raise _GiveUp
            if not frame.is_mapping and not dash:
                # A sequence written at its key's own indent ends at the next key.
                stack.pop()
                if not stack:
                    raise _GiveUp
                frame = stack[-1]
                if frame.column != column:
                    raise _GiveUp
            if frame.is_mapping and dash:
                raise _GiveUp

        if not frame.is_mapping:
            rest = content[1:].lstrip(" ")
            items = frame.items
            path = None if frame.path is None else (*frame.path, len(items))
            count += 1
            if not rest or rest[0] == "#":
                pending = (column, path, items, len(items), False)
                items.append(None)
                continue
            if path is not None:
                lines[path] = at
            if not _KEY.match(rest):
                value, at = _value(rest, rows, at, column, path, lines, resolve, line_depth)
                items.append(value)
                if type(value) is dict or type(value) is list:
                    count += len(value)
                continue
            if len(stack) >= max_depth:
                raise _GiveUp
            frame = _Frame(column + len(content) - len(rest), {}, path, True, line_depth)
            items.append(frame.items)
            stack.append(frame)
            content = rest

        match = _KEY.match(content)
        if match is None:
            raise _GiveUp
        key, rest = match.group(1, 2)
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
        value, at = _value(rest, rows, at, frame.column, path, lines, resolve, line_depth)
        mapping[key] = value
        if type(value) is dict or type(value) is list:
            count += len(value)
    if pending is not None and not pending[4]:
        raise _GiveUp
    if not stack:
        raise _GiveUp
    return root, lines, count


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
    resolve: Callable[[str], Any],
    line_depth: int,
) -> tuple[Any, int]:
    """The value written after ``key:`` or ``-`` on row ``at - 1``, and the next row."""
    parent = path if path is not None and len(path) < line_depth else None
    """The path of the value, when the lines of its items are kept."""
    first = rest[0]
    if first == "|":
        return _literal(rest, rows, at, column)
    if first == "{":
        return _flow_mapping(rest, parent, at, lines, resolve), at
    if first == "[":
        return _flow_sequence(rest, parent, at, lines, resolve), at
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
    return resolve(rest), at


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
    resolve: Callable[[str], Any],
) -> dict[str, Any]:
    """A one-line ``{key: value, ...}``; lines are kept under ``parent`` if given."""
    mapping: dict[str, Any] = {}
    inner = _flow_inner(text, "}")
    if not inner.strip(" "):
        return mapping
    if _FLOW_NOT_SIMPLE.search(inner) is None:
        for part in inner.split(","):
            key, colon, value = part.partition(":")
            key = key.strip(" ")
            if not colon or (value and value[0] != " ") or not _KEY_NAME.match(key):
                raise _GiveUp
            if ":" in value:
                raise _GiveUp
            if key in mapping:
                raise _GiveUp
            value = value.strip(" ")
            if value and value[0] in _PLAIN_START_REFUSED:
                raise _GiveUp
            mapping[key] = resolve(value) if value else None
    else:
        for match in _flow_items(inner, _FLOW_PAIR):
            key = match.group(1)
            if key in mapping:
                raise _GiveUp
            mapping[key] = _flow_value(match, 2, resolve)
    if parent is not None:
        for key in mapping:
            lines[(*parent, key)] = at
    return mapping


def _flow_sequence(
    text: str,
    parent: PathKey | None,
    at: int,
    lines: dict[PathKey, int],
    resolve: Callable[[str], Any],
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
            items.append(resolve(value))
    else:
        items = [_flow_value(match, 1, resolve) for match in _flow_items(inner, _FLOW_ITEM)]
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


def _flow_value(match: re.Match[str], group: int, resolve: Callable[[str], Any]) -> Any:
    double, single, plain = match.group(group, group + 1, group + 2)
    if double is not None:
        return double
    if single is not None:
        return single.replace("''", "'")
    return None if plain is None else resolve(plain)

"""Reading a content file into plain data, remembering the line of every value.

We build values from PyYAML's event stream ourselves instead of using a loader:
libyaml's composer recurses without a limit (deep nesting crashes the interpreter) and
an alias bomb expands without one. Here nesting depth, expanded size and file size are
bounded, duplicate keys are refused, and only plain data types exist: no tags, no code.
Every error names the file and, when there is one, the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wizard.content.errors import ContentError

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32
MAX_VALUES = 400_000
"""Values built in all: far more than the largest real guide."""
MAX_ALIAS_VALUES = 20_000
"""Values built by replaying aliases: an alias bomb reaches this at once."""

Key = str | int
PathKey = tuple[Key, ...]


def format_path(path: PathKey) -> str:
    """``("nodes", "start", "options", 0)`` as ``nodes.start.options[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


@dataclass(slots=True)
class Document:
    """A content file's data and where each value stood in it."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: PathKey) -> int:
        """The line of the value at ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def error(self, path: PathKey, message: str) -> ContentError:
        """A :class:`ContentError` located at ``path``."""
        return ContentError(self.file, self.line(path), format_path(path) if path else "", message)


def read_document(path: Path) -> Document:
    """Read and parse one content file; raise :class:`ContentError` on any problem."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ContentError(name, 0, "", f"cannot read the file: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise ContentError(
            name,
            1,
            "",
            f"the file is {size / 1e6:.1f} MB; content files may be at most "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB",
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError(name, 0, "", f"cannot read the file: {exc.strerror or exc}") from None
    return parse_document(raw, name)


def parse_document(raw: bytes, name: str) -> Document:
    """Parse the bytes of a content file named ``name``."""
    if len(raw) > MAX_FILE_BYTES:
        raise ContentError(name, 1, "", "the file is too large for a content file")
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        raise ContentError(name, line, "", "this is a binary file, not YAML text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ContentError(
            name,
            line,
            "",
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return _Builder(name).build(text)


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ALLOWED_TAGS = {
    None,
    "!",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


def _too_deep_line(text: str) -> int | None:
    """The line where ``[``/``{`` nesting first passes :data:`MAX_DEPTH`, or None.

    Asked only of a file the parser refused. A parser that looks ahead through a flow
    collection (libyaml in newer PyYAML releases does) may refuse deep nesting with its
    own words, or for its own limit, before our depth check sees the events; this gives
    every PyYAML the same message. Quoted text and comments are skipped; an approximate
    count is enough, since the file is refused either way.
    """
    depth = 0
    line = 1
    quote = ""
    previous = "\n"
    for char in text:
        if char == "\n":
            line += 1
            if quote == "#":
                quote = ""
        elif quote:
            if char == quote and quote != "#":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#" and previous in " \t\n":
            quote = "#"
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
        previous = char
    return None


class _Builder:
    """Turns a YAML event stream into Python data plus a path-to-line map.

    Anchored values are recorded as the raw events that made them; an alias replays
    them. Replayed events are never recorded again, so nested anchors stay linear.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: dict[PathKey, int] = {}
        self.anchors: dict[str, list[yaml.Event]] = {}
        self.recorders: list[list[yaml.Event]] = []
        self.count = 0
        self.alias_count = 0
        self.stream: Iterator[yaml.Event] = iter(())

    def build(self, text: str) -> Document:
        self.stream = iter(yaml.parse(text, Loader=_Loader))
        data: Any = None
        documents = 0
        try:
            for event in self.stream:
                if isinstance(event, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        raise self._err(event, "a content file holds one YAML document")
                    raw_next = self.stream.__next__
                    first = raw_next()
                    self.lines[()] = _line(first)
                    data = self._value(raw_next, first, (), 0)
        except yaml.MarkedYAMLError as exc:
            deep = _too_deep_line(text)
            if deep is not None:
                raise ContentError(
                    self.name, deep, "", f"the data is nested more than {MAX_DEPTH} levels deep"
                ) from None
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            problem = exc.problem or exc.context or "invalid YAML"
            raise ContentError(self.name, line, "", f"YAML syntax error: {problem}") from None
        except yaml.YAMLError as exc:
            raise ContentError(self.name, 0, "", f"YAML error: {exc}") from None
        return Document(self.name, data, self.lines)

    def _next_recording(self) -> yaml.Event:
        """The next event of the file, also recorded for every anchor being read."""
        event = next(self.stream)
        for recorder in self.recorders:
            recorder.append(event)
        return event

    def _err(self, event: yaml.Event, message: str) -> ContentError:
        return ContentError(self.name, _line(event), "", message)

    def _value(
        self,
        source: Callable[[], Any],
        event: Any,
        path: PathKey,
        depth: int,
        replaying: bool = False,
    ) -> Any:
        """Build the value that starts with ``event``, reading the rest from ``source``."""
        if depth > MAX_DEPTH:
            raise self._err(event, f"the data is nested more than {MAX_DEPTH} levels deep")
        self.count += 1
        if self.count > MAX_VALUES:
            raise self._err(
                event,
                f"the file expands to more than {MAX_VALUES:,} values "
                "(an alias bomb, or far too much content for one guide)",
            )
        if replaying:
            self.alias_count += 1
            if self.alias_count > MAX_ALIAS_VALUES:
                raise self._err(
                    event,
                    f"aliases here expand to more than {MAX_ALIAS_VALUES:,} values "
                    "(an alias bomb?)",
                )
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.tag not in _ALLOWED_TAGS:
                raise self._err(event, f"YAML tags such as {event.tag} are not allowed in content")
            if event.anchor and not replaying:
                self.anchors[event.anchor] = [event]
            return _scalar(event)
        if kind is yaml.AliasEvent:
            replay = self.anchors.get(event.anchor or "")
            if replay is None:
                raise self._err(event, f"unknown alias *{event.anchor}")
            events = iter(replay)
            return self._value(events.__next__, next(events), path, depth + 1, True)
        if kind is not yaml.SequenceStartEvent and kind is not yaml.MappingStartEvent:
            raise self._err(event, f"unexpected YAML element {kind.__name__}")
        if event.tag not in _ALLOWED_TAGS:
            raise self._err(event, f"YAML tags such as {event.tag} are not allowed in content")
        anchor = None if replaying else event.anchor
        recorder: list[yaml.Event] = [event]
        if anchor:
            self.recorders.append(recorder)
            source = self._next_recording
        value: Any
        if kind is yaml.SequenceStartEvent:
            value = self._sequence(source, path, depth, replaying)
        else:
            value = self._mapping(source, path, depth, replaying)
        if anchor:
            self.recorders.remove(recorder)
            self.anchors[anchor] = recorder
        return value

    def _sequence(
        self, source: Callable[[], Any], path: PathKey, depth: int, replaying: bool
    ) -> list[Any]:
        items: list[Any] = []
        lines = self.lines
        end = yaml.SequenceEndEvent
        while type(child := source()) is not end:
            child_path = (*path, len(items))
            if child.start_mark is not None:
                lines.setdefault(child_path, child.start_mark.line + 1)
            items.append(self._value(source, child, child_path, depth + 1, replaying))
        return items

    def _mapping(
        self, source: Callable[[], Any], path: PathKey, depth: int, replaying: bool
    ) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        lines = self.lines
        end, scalar = yaml.MappingEndEvent, yaml.ScalarEvent
        while (key_kind := type(key_event := source())) is not end:
            if key_kind is not scalar:
                raise self._err(key_event, "mapping keys must be plain words, not lists or maps")
            key = key_event.value
            child_path = (*path, key)
            if key in mapping:
                raise ContentError(
                    self.name,
                    _line(key_event),
                    format_path(child_path),
                    f"duplicate key {key!r} (first given on line {lines.get(child_path)})",
                )
            if not replaying or child_path not in lines:
                lines[child_path] = _line(key_event)
            mapping[key] = self._value(source, source(), child_path, depth + 1, replaying)
        return mapping


def _line(event: yaml.Event) -> int:
    """The 1-based line an event starts on (0 when unknown)."""
    mark = event.start_mark
    return mark.line + 1 if mark is not None else 0


def _scalar(event: yaml.ScalarEvent) -> Any:
    """Resolve a scalar the way YAML 1.2's core schema does (no yes/no booleans)."""
    value = event.value
    plain = not event.style and event.implicit[0] and event.tag in (None, "!")
    if event.tag == "tag:yaml.org,2002:str" or not plain:
        return value
    return _resolve_plain(value)


_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")
_MAY_NOT_BE_TEXT = frozenset("~nNtTfF0123456789+-.")
"""First characters of the plain scalars that resolve to something other than text."""


def _resolve_plain(value: str) -> Any:
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
